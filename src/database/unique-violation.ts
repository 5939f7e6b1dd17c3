/**
 * Whether `e` is PostgreSQL's unique violation (23505), on `constraint` when given (its name, or a
 * pattern of names): the race a check-then-insert cannot close, answered like the check would have.
 */
export function violatesUnique(e: unknown, constraint?: string | RegExp): boolean {
  const err = e as { code?: unknown; constraint?: unknown } | null | undefined;
  if (err?.code !== '23505') return false;
  if (constraint === undefined) return true;
  if (typeof err.constraint !== 'string') return false;
  return typeof constraint === 'string' ? err.constraint === constraint : constraint.test(err.constraint);
}
