/**
 * Where a process's CPU went, from a V8 CPU profile (`node --cpu-prof`, e.g. the API under
 * BENCH_API_NODE_ARGS or a worker under BENCH_WORKER_NODE_ARGS):
 *
 *   node dist/bench/cpu-profile.js <file.cpuprofile> [--top 30] [--match <text>] [--exclude <leaf,…>]
 *
 * prints the busy time (idle left out) by package (`node_modules/<name>`, `src/<folder>`, Node's
 * internals, the garbage collector), then the functions with the most time of their own and the
 * most time below them (each function counted once per sample, however deep it recurs). `--match`
 * keeps the samples whose stack holds a frame whose function or file contains the text (a request
 * kind, a module), to see what one path costs. `--exclude writev,writeBuffer` leaves out the samples
 * taken inside those functions: a sample is wall time of the main thread, and a write to a local
 * socket wakes the process reading it, which often takes the core there and then (the writer is
 * then counted in `writev` while it waits for the CPU: /proc's CPU time says what it really used).
 */
import { readFileSync } from 'fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** What a frame belongs to: a package, a folder of this project, Node itself, or V8's own work. */
export function categoryOf(f: CallFrame): string {
  if (!f.url) return f.functionName.startsWith('(') ? f.functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(f.url);
  if (pkg) return pkg[1];
  const own = /\/dist\/(src|bench)\/([^/]+)/.exec(f.url);
  if (own) return `${own[1]}/${own[2]}`;
  if (f.url.startsWith('node:')) return 'node:' + f.url.slice(5).split('/')[0];
  return f.url;
}

const frameKey = (f: CallFrame) => `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*node_modules\//, '').replace(/^.*\/dist\//, '')}:${f.lineNumber + 1}`;

export function summarizeProfile(profile: Profile, match?: string, excludeLeaves: string[] = []) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const categories = new Map<string, number>();
  let busy = 0;
  let idle = 0;
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    const leaf = byId.get(id)!;
    if (leaf.callFrame.functionName === '(idle)' || excludeLeaves.includes(leaf.callFrame.functionName)) {
      idle += dt;
      return;
    }
    const stack: CallFrame[] = [];
    for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) stack.push(byId.get(n)!.callFrame);
    if (match && !stack.some((f) => f.functionName.includes(match) || f.url.includes(match))) return;
    busy += dt;
    self.set(frameKey(leaf.callFrame), (self.get(frameKey(leaf.callFrame)) ?? 0) + dt);
    categories.set(categoryOf(leaf.callFrame), (categories.get(categoryOf(leaf.callFrame)) ?? 0) + dt);
    for (const key of new Set(stack.map(frameKey))) total.set(key, (total.get(key) ?? 0) + dt);
  });
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
  return { busyMs: busy, idleMs: idle, categories: sorted(categories), self: sorted(self), total: sorted(total) };
}

function main() {
  const [file, ...rest] = process.argv.slice(2);
  if (!file) throw new Error('usage: node dist/bench/cpu-profile.js <file.cpuprofile> [--top N] [--match text]');
  const opt = (name: string) => {
    const i = rest.indexOf(name);
    return i >= 0 ? rest[i + 1] : undefined;
  };
  const top = Number(opt('--top') ?? 30);
  const s = summarizeProfile(JSON.parse(readFileSync(file, 'utf8')), opt('--match'), opt('--exclude')?.split(',') ?? []);
  const pct = (ms: number) => `${((ms / s.busyMs) * 100).toFixed(1).padStart(5)} %`;
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(`busy ${(s.busyMs / 1000).toFixed(1)} s, idle ${(s.idleMs / 1000).toFixed(1)} s`);
  out('\nby package (own time):');
  for (const [k, v] of s.categories.slice(0, top)) out(`${pct(v)}  ${k}`);
  out('\nfunctions, own time:');
  for (const [k, v] of s.self.slice(0, top)) out(`${pct(v)}  ${k}`);
  out('\nfunctions, time below them:');
  for (const [k, v] of s.total.slice(0, top)) out(`${pct(v)}  ${k}`);
}

if (require.main === module) main();
