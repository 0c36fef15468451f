import { randomUUID } from 'node:crypto';
import { systemClock, type Clock } from '@carequeue/core';
import type { CacheStore, StoreAddress } from '../cache-store.js';
import {
  checkAddress,
  checkName,
  checkNames,
  checkStoreOptions,
  checkTtl,
  checkWrite,
  refusal,
} from '../store-arguments.js';

/** Options of {@link memoryCacheStore}. */
export interface MemoryCacheStoreOptions {
  /** @default systemClock */
  readonly clock?: Clock;
}

interface StoredValue {
  readonly payload: string;
  readonly fields: readonly string[];
  readonly stamp: string;
  readonly expiresAt: number;
}

interface Scope {
  readonly generations: Map<string, number>;
  readonly values: Map<string, StoredValue>;
  readonly locks: Map<string, { readonly token: string; readonly expiresAt: number }>;
}

// Runs a store method now, as a promise: a refused argument rejects rather than throws.
function settle<T>(run: () => T): Promise<Awaited<T>> {
  try {
    return Promise.resolve(run());
  } catch (error: unknown) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

/**
 * An in-process {@link CacheStore}: the default shared tier for a single instance and tests.
 *
 * @throws `CacheConfigError` naming the option when `options` or `clock` is malformed.
 * @example
 * ```ts
 * const cache = createCacheService({ store: memoryCacheStore({ clock }) });
 * ```
 */
export function memoryCacheStore(options: MemoryCacheStoreOptions = {}): CacheStore {
  checkStoreOptions(options);
  const clock = options.clock ?? systemClock;
  const scopes = new Map<string, Scope>();

  const scopeOf = (name: string): Scope => {
    let scope = scopes.get(name);
    if (scope === undefined) {
      scope = { generations: new Map(), values: new Map(), locks: new Map() };
      scopes.set(name, scope);
    }
    return scope;
  };
  const stampOf = (scope: Scope, fields: readonly string[]): string =>
    fields.map((field) => scope.generations.get(field) ?? 0).join(',');

  return {
    name: 'memory',
    shared: false,
    read(address: StoreAddress) {
      const refused = refusal(() => {
        checkAddress(address);
      });
      if (refused) return refused;
      const scope = scopeOf(address.scope);
      const stored = scope.values.get(address.key);
      const valid =
        stored !== undefined &&
        stored.expiresAt > clock.now() &&
        stampOf(scope, stored.fields) === stored.stamp;
      return Promise.resolve({
        payload: valid ? stored.payload : undefined,
        stamp: stampOf(scope, address.fields),
        fields: valid ? stored.fields : [],
      });
    },
    write(address, payload, ttlMs, expectedStamp) {
      const refused = refusal(() => {
        checkWrite(address, payload, ttlMs, expectedStamp);
      });
      if (refused) return refused;
      const scope = scopeOf(address.scope);
      const stamp = stampOf(scope, address.fields);
      if (expectedStamp !== undefined && expectedStamp !== stamp) return Promise.resolve(false);
      scope.values.set(address.key, {
        payload,
        fields: address.fields,
        stamp,
        expiresAt: clock.now() + ttlMs,
      });
      return Promise.resolve(true);
    },
    remove(scope, key) {
      return settle(() => {
        checkName(scope, 'scope');
        checkName(key, 'key');
        scopeOf(scope).values.delete(key);
      });
    },
    bump(scopeName, fields) {
      return settle(() => {
        checkName(scopeName, 'scope');
        checkNames(fields, 'fields');
        const scope = scopeOf(scopeName);
        return fields.map((field) => {
          const next = (scope.generations.get(field) ?? 0) + 1;
          scope.generations.set(field, next);
          return next;
        });
      });
    },
    acquireLock(scopeName, key, ttlMs) {
      return settle(() => {
        checkName(scopeName, 'scope');
        checkName(key, 'key');
        checkTtl(ttlMs, 'ttlMs');
        const { locks } = scopeOf(scopeName);
        const held = locks.get(key);
        if (held !== undefined && held.expiresAt > clock.now()) return undefined;
        const token = randomUUID();
        locks.set(key, { token, expiresAt: clock.now() + ttlMs });
        return token;
      });
    },
    releaseLock(scopeName, key, token) {
      return settle(() => {
        checkName(scopeName, 'scope');
        checkName(key, 'key');
        checkName(token, 'token');
        const { locks } = scopeOf(scopeName);
        if (locks.get(key)?.token === token) locks.delete(key);
      });
    },
  };
}
