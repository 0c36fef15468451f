// Map and Set constructors call `set`/`add` before subclass fields exist, so sealing is tracked
// outside the instances.
const sealed = new WeakSet<object>();

function refuseChange(): never {
  throw new TypeError('Cached values are read-only; copy the value before changing it.');
}

/**
 * A Date whose setters throw, so a cached Date cannot be changed in place.
 *
 * @example
 * ```ts
 * const at = new ImmutableDate(0);
 * at.setFullYear(2030); // throws TypeError
 * at instanceof Date; // true
 * ```
 */
export class ImmutableDate extends Date {
  constructor(time: number) {
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
 * @example
 * ```ts
 * const byId = new ImmutableMap([['a', 1]]);
 * byId.set('b', 2); // throws TypeError
 * ```
 */
export class ImmutableMap<K, V> extends Map<K, V> {
  constructor(entries: Iterable<readonly [K, V]>) {
    super(entries);
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
 * @example
 * ```ts
 * const ids = new ImmutableSet(['a']);
 * ids.add('b'); // throws TypeError
 * ```
 */
export class ImmutableSet<T> extends Set<T> {
  constructor(items: Iterable<T>) {
    super(items);
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
