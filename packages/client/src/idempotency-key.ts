/**
 * A new `Idempotency-Key`: a random UUID from the Web Crypto API (browsers and Node).
 *
 * @returns a key such as `5f0c...`, unique per logical call.
 * @example
 * ```ts
 * headers.set('idempotency-key', newIdempotencyKey());
 * ```
 */
export function newIdempotencyKey(): string {
  return globalThis.crypto.randomUUID();
}
