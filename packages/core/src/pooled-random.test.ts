import { describe, expect, it } from 'vitest';
import { createPooledRandomSource } from './pooled-random.js';

/** A fill that writes 1, 2, 3, ... (mod 256) across calls and remembers what it filled. */
function countingFill() {
  let next = 1;
  const filled: Uint8Array[] = [];
  const fill = (bytes: Uint8Array) => {
    filled.push(bytes);
    for (let index = 0; index < bytes.length; index += 1) {
      bytes[index] = next % 256;
      next += 1;
    }
  };
  return { fill, filled };
}

describe('createPooledRandomSource', () => {
  it('hands out each pooled byte once, in order, and refills only when the pool is spent', () => {
    const { fill, filled } = countingFill();
    const random = createPooledRandomSource(fill, 64);
    const seen: number[] = [];
    for (let call = 0; call < 8; call += 1) {
      const bytes = new Uint8Array(16);
      random(bytes);
      seen.push(...bytes);
    }
    expect(filled).toHaveLength(2);
    expect(seen).toEqual(Array.from({ length: 128 }, (_, index) => (index + 1) % 256));
  });

  it('refills early rather than split a request across two pools', () => {
    const { fill, filled } = countingFill();
    const random = createPooledRandomSource(fill, 40);
    const first = new Uint8Array(16);
    const second = new Uint8Array(16);
    const third = new Uint8Array(16);
    random(first);
    random(second);
    random(third);
    expect(filled).toHaveLength(2);
    expect(third[0]).toBe(41);
  });

  it('wipes the bytes it handed out from the pool', () => {
    const { fill, filled } = countingFill();
    const random = createPooledRandomSource(fill, 64);
    random(new Uint8Array(16));
    random(new Uint8Array(16));
    const pool = filled[0];
    expect(pool?.subarray(0, 32).every((byte) => byte === 0)).toBe(true);
    expect(pool?.subarray(32).every((byte) => byte !== 0)).toBe(true);
  });

  it('fills a request larger than the pool directly', () => {
    const { fill, filled } = countingFill();
    const random = createPooledRandomSource(fill, 8);
    const large = new Uint8Array(16);
    random(large);
    expect(filled).toEqual([large]);
    expect(large[15]).toBe(16);
  });
});
