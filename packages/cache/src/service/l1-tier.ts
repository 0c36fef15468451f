import type { Clock } from '@carequeue/core';
import { BoundedLru } from '../bounded-lru.js';
import type { CachedValue } from './value-envelope.js';
import type { ResolvedKey } from './key-resolver.js';

// The in-process tier. It is kept coherent with the shared tier and with other instances by
// scope epochs: every invalidation of a scope, local or announced on the bus, moves its epoch,
// and a value read before the move is not promoted into L1 after it. Internal: the package entry
// does not export this module.

interface L1Entry {
  readonly value: unknown;
  readonly scope: string;
  /** The generation fields the value depends on, so a bump of one of them drops it. */
  readonly fields: ReadonlySet<string>;
  readonly sensitive: boolean;
  readonly freshUntil: number;
}

/** The in-process tier of one cache service. */
export interface L1Tier {
  /** The fresh value under the key, or `undefined` (also when the namespace bypasses L1). */
  readFresh(resolved: ResolvedKey): L1Entry | undefined;
  /**
   * Keeps `value` unless the scope was invalidated since `epoch` was taken: a read that raced an
   * invalidation (an erasure above all) must not be kept afterwards.
   */
  keepIfCurrent(
    resolved: ResolvedKey,
    fields: readonly string[],
    value: CachedValue,
    epoch: number,
  ): void;
  /** The scope's epoch now; compare it later to know whether the scope was invalidated since. */
  epochOf(scope: string): number;
  /** Drops this instance's copy of one key and moves its scope's epoch. */
  forgetKey(resolved: ResolvedKey): void;
  /** Drops the copies under `keys` and those depending on `fields`, and moves the scope's epoch. */
  dropCopies(scope: string, fields: readonly string[], keys: readonly string[]): void;
  /**
   * Follows the bus's connection: while it is down, peers' invalidations may be missed, so
   * sensitive copies go at once and everything goes when it is back.
   */
  followBusConnection(connected: boolean): void;
  readonly entries: number;
  readonly bytes: number;
}

/** Bounds of the in-process tier. */
export interface L1TierOptions {
  readonly clock: Clock;
  readonly maxEntries: number;
  readonly maxBytes: number;
  /** Whether the bus is down when the tier is created. */
  readonly busDown: boolean;
}

/**
 * Creates the in-process tier of one cache service.
 *
 * @example
 * ```ts
 * const l1 = createL1Tier({ clock, maxEntries: 10_000, maxBytes: 64 * 1024 * 1024, busDown: false });
 * l1.readFresh(resolved)?.value;
 * ```
 */
export function createL1Tier(options: L1TierOptions): L1Tier {
  const { clock } = options;
  const lru = new BoundedLru<L1Entry>({
    maxEntries: options.maxEntries,
    maxBytes: options.maxBytes,
  });
  const scopeEpochs = new Map<string, number>();
  let busDown = options.busDown;

  const epochOf = (scope: string): number => scopeEpochs.get(scope) ?? 0;
  const moveEpoch = (scope: string): void => {
    scopeEpochs.set(scope, epochOf(scope) + 1);
  };
  const usesL1 = (resolved: ResolvedKey): boolean =>
    resolved.policy.l1 !== false && !(busDown && resolved.policy.sensitive === true);

  return {
    readFresh(resolved) {
      if (!usesL1(resolved)) return undefined;
      const entry = lru.get(resolved.l1Key);
      if (entry === undefined) return undefined;
      if (entry.freshUntil > clock.now()) return entry;
      lru.delete(resolved.l1Key);
      return undefined;
    },
    keepIfCurrent(resolved, fields, value, epoch) {
      if (!usesL1(resolved) || epochOf(resolved.scope) !== epoch) return;
      lru.set(
        resolved.l1Key,
        {
          value: value.value,
          scope: resolved.scope,
          fields: new Set(fields),
          sensitive: resolved.policy.sensitive === true,
          freshUntil: value.freshUntil,
        },
        value.text.length * 2,
      );
    },
    epochOf,
    forgetKey(resolved) {
      moveEpoch(resolved.scope);
      lru.delete(resolved.l1Key);
    },
    dropCopies(scope, fields, keys) {
      moveEpoch(scope);
      for (const key of keys) lru.delete(`${scope}\u0000${key}`);
      // Generation bumps are rare (patterns and tags), so a scan of L1 is cheaper than an index.
      if (fields.length > 0) {
        lru.deleteWhere(
          (entry) => entry.scope === scope && fields.some((field) => entry.fields.has(field)),
        );
      }
    },
    followBusConnection(connected) {
      busDown = !connected;
      if (connected) lru.deleteWhere(() => true);
      else lru.deleteWhere((entry) => entry.sensitive);
      for (const scope of scopeEpochs.keys()) moveEpoch(scope);
    },
    get entries() {
      return lru.size;
    },
    get bytes() {
      return lru.bytes;
    },
  };
}
