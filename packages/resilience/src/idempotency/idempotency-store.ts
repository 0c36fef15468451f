/**
 * What an {@link IdempotencyStore} found when a request claimed its key: nothing (the caller
 * now owns the key and runs the operation), a request still running, or a stored response.
 *
 * @example
 * ```ts
 * const claim: IdempotencyClaim = { status: 'completed', fingerprint: 'ab12...', response: '{"id":"b-1"}' };
 * ```
 */
export type IdempotencyClaim =
  | { readonly status: 'claimed' }
  | { readonly status: 'pending'; readonly fingerprint: string }
  | { readonly status: 'completed'; readonly fingerprint: string; readonly response: string };

/**
 * The storage port of idempotency keys. `claim` must be atomic: of several concurrent claims of
 * one key, exactly one gets `claimed`.
 *
 * @example
 * ```ts
 * const store: IdempotencyStore = createMemoryIdempotencyStore();
 * const claim = await store.claim('tenant-1:booking:key-1', fingerprint, 30_000);
 * ```
 */
export interface IdempotencyStore {
  /** Claims `key` for `lockTtlMs` unless a request already holds it or stored its response. */
  claim(key: string, fingerprint: string, lockTtlMs: number): Promise<IdempotencyClaim>;
  /** Stores the serialized response of the claimed key for `ttlMs`. */
  complete(key: string, fingerprint: string, response: string, ttlMs: number): Promise<void>;
  /** Gives a claimed key up (the operation failed) so that a retry may run it. */
  release(key: string): Promise<void>;
}
