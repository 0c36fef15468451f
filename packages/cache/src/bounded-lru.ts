/** Limits of a {@link BoundedLru}. */
export interface BoundedLruOptions {
  /** Most entries kept. */
  readonly maxEntries: number;
  /** Most bytes kept, as the sum of the sizes given to `set`. */
  readonly maxBytes: number;
}

interface Slot<V> {
  readonly value: V;
  readonly bytes: number;
}

/**
 * A least-recently-used map bounded by entry count and by bytes; the oldest entries leave first
 * when either bound is passed.
 *
 * @example
 * ```ts
 * const lru = new BoundedLru<string>({ maxEntries: 2, maxBytes: 1024 });
 * lru.set('a', 'x', 1);
 * lru.get('a'); // 'x'
 * ```
 */
export class BoundedLru<V> {
  readonly #slots = new Map<string, Slot<V>>();
  readonly #options: BoundedLruOptions;
  #bytes = 0;

  constructor(options: BoundedLruOptions) {
    this.#options = options;
  }

  /** Number of entries held. */
  get size(): number {
    return this.#slots.size;
  }

  /** Bytes held, as declared on `set`. */
  get bytes(): number {
    return this.#bytes;
  }

  /** The value under `key`, marking it as the most recently used. */
  get(key: string): V | undefined {
    const slot = this.#slots.get(key);
    if (slot === undefined) return undefined;
    this.#slots.delete(key);
    this.#slots.set(key, slot);
    return slot.value;
  }

  /** Stores `value` of `bytes` size; a value larger than `maxBytes` is not kept. */
  set(key: string, value: V, bytes: number): void {
    this.delete(key);
    if (bytes > this.#options.maxBytes) return;
    this.#slots.set(key, { value, bytes });
    this.#bytes += bytes;
    for (const [oldest, slot] of this.#slots) {
      if (this.#slots.size <= this.#options.maxEntries && this.#bytes <= this.#options.maxBytes)
        break;
      this.#slots.delete(oldest);
      this.#bytes -= slot.bytes;
    }
  }

  /** Removes `key`; returns whether it was there. */
  delete(key: string): boolean {
    const slot = this.#slots.get(key);
    if (slot === undefined) return false;
    this.#slots.delete(key);
    this.#bytes -= slot.bytes;
    return true;
  }

  /** Removes every entry for which `predicate` returns true. */
  deleteWhere(predicate: (value: V) => boolean): number {
    let removed = 0;
    for (const [key, slot] of this.#slots) {
      if (predicate(slot.value)) {
        this.delete(key);
        removed += 1;
      }
    }
    return removed;
  }
}
