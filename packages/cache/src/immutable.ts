import { CacheArgumentError, CacheValueReadOnlyError } from './errors.js';

// Map and Set constructors call `set`/`add` before subclass fields exist, so sealing is tracked
// outside the instances.
const sealed = new WeakSet<object>();

function refuseChange(): never {
  throw new CacheValueReadOnlyError();
}

// The engine's own errors for a value that is not iterable, or an entry that is not an object,
// are raw TypeErrors that quote the value; these name the argument instead.
function itemsOf(items: unknown, argument: string, rule: string): unknown[] {
  if (Array.isArray(items)) return items;
  const iterate: unknown =
    items === null || items === undefined
      ? undefined
      : (items as Iterable<unknown>)[Symbol.iterator];
  if (typeof iterate !== 'function') throw new CacheArgumentError(argument, rule);
  try {
    return Array.from(items as Iterable<unknown>);
  } catch (error: unknown) {
    throw new CacheArgumentError(argument, `${rule} (iterating it failed)`, { cause: error });
  }
}

function entriesOf<K, V>(entries: unknown): (readonly [K, V])[] {
  const rule = 'must be an iterable of [key, value] entries';
  const list = itemsOf(entries, 'entries', rule);
  if (list.some((entry) => typeof entry !== 'object' || entry === null)) {
    throw new CacheArgumentError('entries', rule);
  }
  return list as (readonly [K, V])[];
}

/**
 * A Date whose setters throw, so a cached Date cannot be changed in place.
 *
 * @throws `CacheArgumentError` when `time` is not a number; `CacheValueReadOnlyError` from every
 * setter.
 * @example
 * ```ts
 * const at = new ImmutableDate(0);
 * at.setFullYear(2030); // throws CacheValueReadOnlyError
 * at instanceof Date; // true
 * ```
 */
export class ImmutableDate extends Date {
  constructor(time: number) {
    if (typeof time !== 'number') {
      throw new CacheArgumentError('time', 'must be a number of ms since the epoch');
    }
    super(time);
    Object.freeze(this);
  }
}
for (const name of Object.getOwnPropertyNames(Date.prototype)) {
  if (name.startsWith('set')) {
    Object.defineProperty(ImmutableDate.prototype, name, { value: refuseChange });
  }
}

/**
 * A Map that throws on `set`, `delete` and `clear` once built.
 *
 * @throws `CacheArgumentError` when `entries` is not an iterable of entries;
 * `CacheValueReadOnlyError` from `set`, `delete` and `clear`.
 * @example
 * ```ts
 * const byId = new ImmutableMap([['a', 1]]);
 * byId.set('b', 2); // throws CacheValueReadOnlyError
 * ```
 */
export class ImmutableMap<K, V> extends Map<K, V> {
  constructor(entries: Iterable<readonly [K, V]>) {
    super(entriesOf<K, V>(entries));
    sealed.add(this);
    Object.freeze(this);
  }

  override set(key: K, value: V): this {
    if (sealed.has(this)) refuseChange();
    return super.set(key, value);
  }

  override delete(): boolean {
    return refuseChange();
  }

  override clear(): void {
    refuseChange();
  }
}

/**
 * A Set that throws on `add`, `delete` and `clear` once built.
 *
 * @throws `CacheArgumentError` when `items` is not iterable; `CacheValueReadOnlyError` from
 * `add`, `delete` and `clear`.
 * @example
 * ```ts
 * const ids = new ImmutableSet(['a']);
 * ids.add('b'); // throws CacheValueReadOnlyError
 * ```
 */
export class ImmutableSet<T> extends Set<T> {
  constructor(items: Iterable<T>) {
    super(itemsOf(items, 'items', 'must be an iterable') as T[]);
    sealed.add(this);
    Object.freeze(this);
  }

  override add(item: T): this {
    if (sealed.has(this)) refuseChange();
    return super.add(item);
  }

  override delete(): boolean {
    return refuseChange();
  }

  override clear(): void {
    refuseChange();
  }
}
