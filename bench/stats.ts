/** Small helpers for the benchmark's figures. */

export function percentile(sortedMs: number[], p: number): number {
  if (!sortedMs.length) return NaN;
  const i = Math.min(sortedMs.length - 1, Math.max(0, Math.ceil((p / 100) * sortedMs.length) - 1));
  return sortedMs[i];
}

export interface LatencySummary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
}

export function summarize(samplesMs: number[]): LatencySummary {
  const s = [...samplesMs].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / (s.length || 1);
  return { n: s.length, p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), mean };
}

export const ms = (x: number) => `${x.toFixed(2)} ms`;
export const ratio = (a: number, b: number) => (b > 0 ? a / b : NaN);

/** Deterministic pseudo-random numbers (mulberry32), so two runs query the same places. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A point around a cluster centre (±0.1° of latitude, ±0.15° of longitude), from `rnd`. */
export function near(c: { lat: number; lon: number }, rnd: () => number): { lat: number; lon: number } {
  return { lat: +(c.lat + (rnd() - 0.5) * 0.2).toFixed(5), lon: +(c.lon + (rnd() - 0.5) * 0.3).toFixed(5) };
}

/** The element with the median `key` (rounds differ on a shared machine; the median resists one bad one). */
export function medianBy<T>(xs: T[], key: (x: T) => number): T {
  return [...xs].sort((a, b) => key(a) - key(b))[Math.floor(xs.length / 2)];
}

export const elapsedMs = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
