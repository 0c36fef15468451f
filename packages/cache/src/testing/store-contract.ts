import { randomUUID } from 'node:crypto';
import type { CacheStore, StoreAddress } from '../cache-store.js';
import { CacheArgumentError } from '../errors.js';

/** The assertions the contract uses; vitest's and jest's `expect` fit. */
export interface ContractExpect {
  (actual: unknown): {
    toBe(expected: unknown): void;
    toEqual(expected: unknown): void;
  };
}

/**
 * The test runner functions and the store factory the contract runs with.
 *
 * @example
 * ```ts
 * import { describe, expect, it } from 'vitest';
 * cacheStoreContract({ name: 'memoryCacheStore', create: () => memoryCacheStore(), describe, it, expect });
 * ```
 */
export interface CacheStoreContractOptions {
  /** Names the suite. */
  readonly name: string;
  /** Returns the store under test; called in each test, after any setup hooks ran. */
  readonly create: () => CacheStore;
  readonly describe: (name: string, body: () => void) => void;
  readonly it: (name: string, body: () => Promise<void>) => void;
  readonly expect: ContractExpect;
}

/**
 * Registers the {@link CacheStore} contract: reads, writes, generations, tags, guarded writes,
 * deletes and locks. Each test uses scopes of its own, so stores may be shared.
 *
 * @example
 * ```ts
 * import { describe, expect, it } from 'vitest';
 * import { cacheStoreContract } from '@carequeue/cache/testing';
 *
 * cacheStoreContract({ name: 'redisCacheStore', create: () => store, describe, it, expect });
 * ```
 */
export function cacheStoreContract(options: CacheStoreContractOptions): void {
  const given: unknown = options;
  if (typeof given !== 'object' || given === null) {
    throw new CacheArgumentError('options', 'must be { name, create, describe, it, expect }');
  }
  const fields = given as Record<string, unknown>;
  if (typeof fields['name'] !== 'string' || fields['name'] === '') {
    throw new CacheArgumentError('options.name', 'must be a non-empty string');
  }
  for (const name of ['create', 'describe', 'it', 'expect']) {
    if (typeof fields[name] !== 'function') {
      throw new CacheArgumentError(`options.${name}`, 'must be a function');
    }
  }
  const { describe, it, expect, create } = options;
  const scope = (): string => `contract-${randomUUID()}:ns`;
  const address = (
    scopeName: string,
    key: string,
    fields: readonly string[] = ['n'],
  ): StoreAddress => ({
    scope: scopeName,
    key,
    fields,
  });

  describe(`${options.name} (CacheStore contract)`, () => {
    it('reads back a value when it was written', async () => {
      const store = create();
      const at = address(scope(), 'k1');
      expect(await store.write(at, 'payload-1', 60_000)).toBe(true);
      expect((await store.read(at)).payload).toBe('payload-1');
    });

    it('reads nothing when the key was never written', async () => {
      const store = create();
      const read = await store.read(address(scope(), 'missing', ['n', 't:a']));
      expect(read.payload).toBe(undefined);
      expect(read.stamp).toBe('0,0');
      expect(read.fields).toEqual([]);
    });

    it('stops serving values of a scope when its namespace generation is bumped', async () => {
      const store = create();
      const first = scope();
      const other = scope();
      await store.write(address(first, 'k'), 'a', 60_000);
      await store.write(address(other, 'k'), 'b', 60_000);
      expect(await store.bump(first, ['n'])).toEqual([1]);
      expect((await store.read(address(first, 'k'))).payload).toBe(undefined);
      expect((await store.read(address(other, 'k'))).payload).toBe('b');
    });

    it('drops only the values carrying a tag when the tag is bumped', async () => {
      const store = create();
      const at = scope();
      await store.write(address(at, 'tagged', ['n', 't:x']), 'a', 60_000);
      await store.write(address(at, 'untagged'), 'b', 60_000);
      expect((await store.read(address(at, 'tagged', ['n']))).fields).toEqual(['n', 't:x']);
      await store.bump(at, ['t:x']);
      expect((await store.read(address(at, 'tagged', ['n']))).payload).toBe(undefined);
      expect((await store.read(address(at, 'untagged'))).payload).toBe('b');
    });

    it('serves a tagged value when read with its tags, until one of them is bumped', async () => {
      const store = create();
      const at = address(scope(), 'tagged', ['n', 't:x']);
      await store.write(at, 'a', 60_000);
      expect(await store.read(at)).toEqual({ payload: 'a', stamp: '0,0', fields: ['n', 't:x'] });
      await store.bump(at.scope, ['t:x']);
      expect(await store.read(at)).toEqual({ payload: undefined, stamp: '0,1', fields: [] });
    });

    it('counts generations up and reports them in the stamp when bumped twice', async () => {
      const store = create();
      const at = scope();
      await store.bump(at, ['n', 'p:a']);
      expect(await store.bump(at, ['p:a'])).toEqual([2]);
      expect((await store.read(address(at, 'k', ['n', 'p:a']))).stamp).toBe('1,2');
    });

    it('refuses a write when a generation moved since the expected stamp', async () => {
      const store = create();
      const at = address(scope(), 'k');
      const { stamp } = await store.read(at);
      await store.bump(at.scope, ['n']);
      expect(await store.write(at, 'stale', 60_000, stamp)).toBe(false);
      expect((await store.read(at)).payload).toBe(undefined);
      const current = await store.read(at);
      expect(await store.write(at, 'fresh', 60_000, current.stamp)).toBe(true);
      expect((await store.read(at)).payload).toBe('fresh');
    });

    it('forgets a value when it is removed', async () => {
      const store = create();
      const at = address(scope(), 'k');
      await store.write(at, 'a', 60_000);
      await store.remove(at.scope, at.key);
      expect((await store.read(at)).payload).toBe(undefined);
    });

    it('grants a lock to one holder at a time when tokens are checked', async () => {
      const store = create();
      const at = scope();
      const token = await store.acquireLock(at, 'k', 60_000);
      expect(typeof token).toBe('string');
      expect(await store.acquireLock(at, 'k', 60_000)).toBe(undefined);
      await store.releaseLock(at, 'k', 'not-the-token');
      expect(await store.acquireLock(at, 'k', 60_000)).toBe(undefined);
      await store.releaseLock(at, 'k', token ?? '');
      expect(typeof (await store.acquireLock(at, 'k', 60_000))).toBe('string');
    });
  });
}
