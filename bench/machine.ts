/**
 * What a run's figures depend on: the machine (cores, memory), the versions of PostgreSQL, Redis
 * and Node, the commit; and the resident memory of the service's processes, read from
 * /proc/<pid>/status (VmRSS now, VmHWM its peak since the process started).
 */
import { execFile } from 'child_process';
import { readdirSync, readFileSync, writeFileSync } from 'fs';
import { cpus, totalmem } from 'os';
import { promisify } from 'util';
import { Queue } from 'bullmq';
import { Pool } from 'pg';

const run = promisify(execFile);

export interface MachineFacts {
  cores: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  postgres: string;
  postgresSettings: Record<string, string>;
  redis: string;
  commit: string;
  /** Files changed in the working tree against the commit (the figures are of the tree as it was). */
  uncommitted: string[];
}

export async function machineFacts(root: string, pool: Pool, queue: Queue): Promise<MachineFacts> {
  const [{ server_version: postgres }] = (await pool.query('SHOW server_version')).rows;
  const settings = (
    await pool.query(`SELECT name, current_setting(name) AS v FROM pg_settings
                       WHERE name IN ('shared_buffers', 'max_connections', 'autovacuum', 'fsync', 'synchronous_commit', 'work_mem', 'jit')`)
  ).rows;
  const info = await (await queue.client).info();
  const git = (args: string[]) => run('git', args, { cwd: root }).then((r) => r.stdout.trim()).catch(() => '');
  return {
    cores: cpus().length,
    cpuModel: cpus()[0]?.model ?? '',
    memoryGb: +(totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
    postgres,
    postgresSettings: Object.fromEntries(settings.map((s) => [s.name, s.v])),
    redis: /redis_version:(\S+)/.exec(info)?.[1] ?? '',
    commit: await git(['rev-parse', 'HEAD']),
    uncommitted: (await git(['status', '--porcelain', '--untracked-files=no', '--', 'src', 'bench', 'migrations'])).split('\n').filter(Boolean),
  };
}

export interface Memory {
  /** Resident now, MB. */
  rssMb: number;
  /** Peak resident since the process started, MB. */
  hwmMb: number;
}

/** Resets a process's VmHWM to its VmRSS now (Linux: clear_refs 5; a process of ours). */
function resetPeak(pid: number): void {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    /* not ours, or gone: its peak since its start then */
  }
}

/** VmRSS and VmHWM of a live process; null once it has exited. */
export function memoryOf(pid: number | undefined): Memory | null {
  if (!pid) return null;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMb: +(kb('VmRSS') / 1024).toFixed(1), hwmMb: +(kb('VmHWM') / 1024).toFixed(1) };
  } catch {
    return null;
  }
}

/**
 * The peak of each role's processes while something runs: VmRSS sampled every 250 ms, and VmHWM
 * at the end. Each process's VmHWM is reset when the watch starts (and when it first sees a
 * process started since), so that it is the peak of this span, not of the process's start (the
 * migrations, the benchmark's sign-ins: argon2 takes 64 MB a password).
 */
export class MemoryWatch {
  private readonly peaks = new Map<string, Memory>();
  private readonly seen = new Set<number>();
  private timer?: NodeJS.Timeout;

  constructor(private readonly processes: () => Array<{ role: string; pid: number | undefined }>) {}

  sample(): void {
    for (const { role, pid } of this.processes()) {
      if (pid && !this.seen.has(pid)) {
        this.seen.add(pid);
        resetPeak(pid);
      }
      const m = memoryOf(pid);
      if (!m) continue;
      const peak = this.peaks.get(role) ?? { rssMb: 0, hwmMb: 0 };
      this.peaks.set(role, { rssMb: Math.max(peak.rssMb, m.rssMb), hwmMb: Math.max(peak.hwmMb, m.hwmMb) });
    }
  }

  start(): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), 250);
    return this;
  }

  /** Per role: the highest VmRSS sampled and the highest VmHWM read. */
  stop(): Record<string, Memory> {
    clearInterval(this.timer);
    this.sample();
    return Object.fromEntries(this.peaks);
  }
}

/** CPU time used so far (ms) by each process watched, keyed `<kind>/<pid>` (kinds: the roles, `postgres`, `redis`, `bench`). */
export type CpuSnapshot = Record<string, number>;

const TICK_MS = 10; // USER_HZ = 100 on Linux

/** CPU time (user + system, ms) a local process has used so far, from /proc/<pid>/stat; NaN when it cannot be read (gone, or not Linux). */
export function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS; // utime, stime
  } catch {
    return NaN;
  }
}

/** A process gone between listing and reading counts as no CPU in a snapshot. */
function cpuMsOf(pid: number): number {
  return processCpuMs(pid) || 0;
}

/**
 * The CPU the service's processes (`roles`), PostgreSQL's processes for `database` (its backends
 * and the server's own: WAL writer, checkpointer; not other databases' backends: the machine is
 * shared) and redis-server have used so far, in ms, per process. A backend that exits between two
 * snapshots takes its time with it: compare snapshots over a span where the pools stay connected.
 */
export function cpuSnapshot(roles: Array<{ role: string; pid: number | undefined }>, database: string): CpuSnapshot {
  const usage = process.cpuUsage();
  const out: CpuSnapshot = { [`bench/${process.pid}`]: (usage.user + usage.system) / 1000 };
  for (const { role, pid } of roles) if (pid) out[`${role}/${pid}`] = cpuMsOf(pid);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let cmd: string;
    try {
      cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
    } catch {
      continue;
    }
    if (cmd.startsWith('redis-server')) out[`redis/${entry}`] = cpuMsOf(Number(entry));
    else if (cmd.startsWith('postgres: ')) {
      // Backends name their database ("postgres: 15/main: user db host(port) state"); the server's own processes do not.
      const backend = /^postgres: (?:\S+: )?\S+ (\S+) (?:\S+\(\d+\)|\[local\])/.exec(cmd);
      if (!backend || backend[1] === database) out[`postgres/${entry}`] = cpuMsOf(Number(entry));
    }
  }
  return out;
}

/**
 * CPU ms per unit of work (`units` bookings, matches…) between two snapshots, per kind of process:
 * what each process still alive at the end used since the first (all of it if it started since).
 */
export function cpuPer(before: CpuSnapshot, after: CpuSnapshot, units: number): Record<string, number> {
  const per: Record<string, number> = {};
  for (const [key, ms] of Object.entries(after)) {
    const kind = key.slice(0, key.indexOf('/'));
    per[kind] = (per[kind] ?? 0) + Math.max(0, ms - (before[key] ?? 0));
  }
  return Object.fromEntries(Object.entries(per).map(([k, v]) => [k, +(v / units).toFixed(3)]));
}
