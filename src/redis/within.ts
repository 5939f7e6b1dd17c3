/** `work`, or a rejection after `ms` when it has not settled (Redis down: commands would wait for ever). */
export async function within<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  work.catch(() => undefined);
  try {
    const timeout = new Promise<never>((_, no) => (timer = setTimeout(() => no(new Error(`Redis did not answer within ${ms} ms`)), ms)));
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
