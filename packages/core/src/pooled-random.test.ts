import { describe, expect, it } from 'vitest';
import { ValidationError } from './errors.js';
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

  it('createPooledRandomSource refuses a fill that is not a function or a pool size that is not an integer from 1 to 1 MiB with a ValidationError instead of a raw TypeError or RangeError', () => {
    const { fill } = countingFill();
    for (const [fillArgument, poolBytes, path] of [
      ['Zq81LmXv03Pa', 64, 'fill'],
      [fill, -1, 'poolBytes'],
      [fill, 2 ** 31, 'poolBytes'],
      [fill, [{ status: 1 }], 'poolBytes'],
      [fill, Number.NaN, 'poolBytes'],
    ] as const) {
      expect(() => createPooledRandomSource(fillArgument as never, poolBytes as never)).toThrow(
        expect.objectContaining({
          code: 'VALIDATION_FAILED',
          issues: [expect.objectContaining({ path })],
        }),
      );
    }
  });

  it('a pooled source refuses anything but a Uint8Array with a ValidationError instead of a raw TypeError', () => {
    const random = createPooledRandomSource(countingFill().fill, 64);
    for (const bytes of [null, 16, 'bytes', [1, 2]]) {
      expect(() => random(bytes as never)).toThrow(ValidationError);
    }
  });
});
