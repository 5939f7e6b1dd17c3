import { createHash } from 'crypto';

/** Hex SHA-256: API keys are stored hashed, and idempotent retries compare request bodies by it. */
export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
