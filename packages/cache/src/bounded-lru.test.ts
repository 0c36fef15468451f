import { describe, expect, it } from 'vitest';
import { BoundedLru } from './bounded-lru.js';

describe('BoundedLru', () => {
  it('evicts the least recently used entry when the entry bound is passed', () => {
    const lru = new BoundedLru<number>({ maxEntries: 2, maxBytes: 1_000 });
    lru.set('a', 1, 1);
    lru.set('b', 2, 1);
    lru.get('a');
    lru.set('c', 3, 1);
    expect(lru.get('b')).toBeUndefined();
    expect(lru.get('a')).toBe(1);
    expect(lru.size).toBe(2);
  });

  it('evicts the oldest entries when the byte bound is passed', () => {
    const lru = new BoundedLru<number>({ maxEntries: 100, maxBytes: 10 });
    lru.set('a', 1, 6);
    lru.set('b', 2, 6);
    expect(lru.get('a')).toBeUndefined();
    expect(lru.bytes).toBe(6);
    lru.set('huge', 3, 11);
    expect(lru.get('huge')).toBeUndefined();
    expect(lru.get('b')).toBe(2);
  });

  it('removes the matching entries when deleteWhere is called', () => {
    const lru = new BoundedLru<number>({ maxEntries: 10, maxBytes: 100 });
    lru.set('a', 1, 1);
    lru.set('b', 2, 1);
    expect(lru.deleteWhere((value) => value === 1)).toBe(1);
    expect(lru.delete('a')).toBe(false);
    expect(lru.size).toBe(1);
  });
});
