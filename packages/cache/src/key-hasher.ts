import { createHmac, randomBytes } from 'node:crypto';

/** Turns a logical string into its keyed HMAC, the only form that leaves the process. */
export type KeyHasher = (text: string) => string;

const MEMO_LIMIT = 50_000;

/**
 * Creates a memoized keyed HMAC-SHA256 hasher (base64url). Hot keys pay for the HMAC once; the
 * memo is emptied when it reaches its bound so it cannot grow without limit.
 *
 * @example
 * ```ts
 * const hash = createKeyHasher(process.env.CACHE_KEY_SECRET!);
 * hash('tenant\u0000patient-profiles\u0000pat_1'); // 'pQ3...' (43 characters)
 * ```
 */
export function createKeyHasher(secret: string | Uint8Array = randomBytes(32)): KeyHasher {
  const memo = new Map<string, string>();
  return (text) => {
    let hashed = memo.get(text);
    if (hashed === undefined) {
      hashed = createHmac('sha256', secret).update(text).digest('base64url');
      if (memo.size >= MEMO_LIMIT) memo.clear();
      memo.set(text, hashed);
    }
    return hashed;
  };
}
