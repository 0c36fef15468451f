/**
 * What an {@link IdempotencyStore} found when a request claimed its key: nothing (the caller
 * now holds the key, with a fencing `token`, and runs the operation), a request still running,
 * or a stored response.
 *
 * @example
 * ```ts
 * const claim: IdempotencyClaim = { status: 'completed', fingerprint: 'ab12...', response: '{"id":"b-1"}' };
 * ```
 */
export type IdempotencyClaim =
  | {
      readonly status: 'claimed';
      /**
       * Identifies this claim. Pass it to `complete` and `release`: they act only while the key
       * is still held by this claim, so a request whose claim expired and was taken over by
       * another request cannot overwrite or delete the new holder's record.
       */
      readonly token: string;
    }
  | { readonly status: 'pending'; readonly fingerprint: string }
  | { readonly status: 'completed'; readonly fingerprint: string; readonly response: string };

/**
 * The storage port of idempotency keys. `claim` must be atomic: of several concurrent claims of
 * one key, exactly one gets `claimed`, with a token unique to that claim. `complete` and
 * `release` are fenced by that token: each checks atomically that no other claim holds the key
 * and that no response is stored for it, and otherwise rejects with
 * `IdempotencyClaimLostError` and changes nothing.
 *
 * @example
 * ```ts
 * const store: IdempotencyStore = memoryIdempotencyStore();
 * const claim = await store.claim('tenant-1:booking:key-1', fingerprint, 30_000);
 * if (claim.status === 'claimed') await store.complete('tenant-1:booking:key-1', claim.token, fingerprint, '{"id":"b-1"}', 86_400_000);
 * ```
 */
export interface IdempotencyStore {
  /** Claims `key` for `lockTtlMs` unless a request already holds it or stored its response. */
  claim(key: string, fingerprint: string, lockTtlMs: number): Promise<IdempotencyClaim>;
  /**
   * Stores the serialized response of the key claimed with `token` for `ttlMs`. Also stores it
   * when the claim expired and nobody claimed the key since.
   *
   * @throws `IdempotencyClaimLostError` when another claim holds the key or a response is already stored.
   */
  complete(
    key: string,
    token: string,
    fingerprint: string,
    response: string,
    ttlMs: number,
  ): Promise<void>;
  /**
   * Gives up the key claimed with `token` (the operation failed) so that a retry may run it;
   * nothing to do when the claim already expired.
   *
   * @throws `IdempotencyClaimLostError` when another claim holds the key or a response is stored.
   */
  release(key: string, token: string): Promise<void>;
}
