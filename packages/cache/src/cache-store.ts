/**
 * Where one value lives in a {@link CacheStore}.
 *
 * @example
 * ```ts
 * const address: StoreAddress = { scope: 'Xk9v...:clinic-settings', key: 'pQ3x', fields: ['n'] };
 * ```
 */
export interface StoreAddress {
  /**
   * The keyed HMAC of the tenant and the namespace (`<hmac(tenant)>:<namespace>`), never the
   * tenant in clear. Every key of one scope lives in one Redis Cluster hash slot.
   */
  readonly scope: string;
  /** The hashed key within the scope. */
  readonly key: string;
  /**
   * The generation fields the value depends on: `n` (the namespace), `p:<hash>` (a key prefix)
   * and `t:<hash>` (a tag). A value is served only while none of them moved since it was written.
   */
  readonly fields: readonly string[];
}

/**
 * The answer of {@link CacheStore.read}.
 *
 * @example
 * ```ts
 * const { payload, stamp } = await store.read(address);
 * if (payload === undefined) await store.write(address, fresh, 60_000, stamp);
 * ```
 */
export interface StoreRead {
  /** The payload, when stored, unexpired, and none of the generations it depends on moved. */
  readonly payload: string | undefined;
  /** The current generations of `address.fields`; pass it to `write` to refuse a stale write. */
  readonly stamp: string;
  /** The generation fields the payload was written with (its tags included); empty on a miss. */
  readonly fields: readonly string[];
}

/**
 * The port of the shared tier (L2). Generations travel with values, so a read is one round trip,
 * and invalidating a namespace, prefix or tag is one counter increment, never a scan.
 *
 * @example
 * ```ts
 * const store: CacheStore = memoryCacheStore();
 * await store.write(address, 'payload', 60_000);
 * (await store.read(address)).payload; // 'payload'
 * await store.bump(address.scope, ['n']);
 * (await store.read(address)).payload; // undefined
 * ```
 */
export interface CacheStore {
  /** Names the store in stats and errors. */
  readonly name: string;
  /** Whether values leave the process (then sensitive namespaces must be encrypted). */
  readonly shared: boolean;
  /**
   * Reads a value and the current stamp of `address.fields` in one round trip. A value written
   * with more fields than the address names (its tags) may take a second round trip the first
   * time a store sees it, to fetch their generations.
   */
  read(address: StoreAddress): Promise<StoreRead>;
  /**
   * Writes a value for `ttlMs`. With `expectedStamp`, the write is skipped (returning `false`)
   * when a generation moved since that stamp was read, so an invalidation that raced the
   * factory is never undone.
   */
  write(
    address: StoreAddress,
    payload: string,
    ttlMs: number,
    expectedStamp?: string,
  ): Promise<boolean>;
  /** Deletes one value. */
  remove(scope: string, key: string): Promise<void>;
  /** Increments generation fields of a scope and returns their new values, in order. */
  bump(scope: string, fields: readonly string[]): Promise<readonly number[]>;
  /** Takes a lease on a key for `ttlMs`; returns its token, or `undefined` when it is held. */
  acquireLock(scope: string, key: string, ttlMs: number): Promise<string | undefined>;
  /** Gives a lease back if `token` still holds it. */
  releaseLock(scope: string, key: string, token: string): Promise<void>;
}
