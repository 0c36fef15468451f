import { describe, expect, it } from 'vitest';
import { createFakeClock } from './clock.js';
import { ValidationError } from './errors.js';
import { createDeterministicIdGenerator, systemIdGenerator } from './id-generator.js';
import { uuidv7Timestamp } from './uuidv7.js';

describe('systemIdGenerator', () => {
  it('returns a fresh UUIDv7 when asked for an id', () => {
    const first = systemIdGenerator.next();
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    expect(systemIdGenerator.next()).not.toBe(first);
  });
});

describe('createDeterministicIdGenerator', () => {
  it('returns the same sequence when built twice with the same seed', () => {
    const a = createDeterministicIdGenerator({ seed: 7 });
    const b = createDeterministicIdGenerator({ seed: 7 });
    const seqA = [a.next(), a.next(), a.next()];
    expect([b.next(), b.next(), b.next()]).toEqual(seqA);
    expect(new Set(seqA).size).toBe(3);
  });

  it('returns a different sequence when the seed differs', () => {
    expect(createDeterministicIdGenerator({ seed: 1 }).next()).not.toBe(
      createDeterministicIdGenerator({ seed: 2 }).next(),
    );
  });

  it('follows the fake clock when one is given', async () => {
    const clock = createFakeClock(Date.UTC(2030, 5, 1));
    const ids = createDeterministicIdGenerator({ clock });
    expect(uuidv7Timestamp(ids.next())).toBe(Date.UTC(2030, 5, 1));
    await clock.advance(60_000);
    expect(uuidv7Timestamp(ids.next())).toBe(Date.UTC(2030, 5, 1) + 60_000);
  });

  it('uses 2026-01-01 when no clock is given', () => {
    expect(uuidv7Timestamp(createDeterministicIdGenerator().next())).toBe(Date.UTC(2026, 0, 1));
  });

  it('createDeterministicIdGenerator refuses null options, a clock without now or a seed that is not an integer with a ValidationError instead of a raw TypeError', () => {
    for (const [options, path] of [
      [null, 'options'],
      [{ clock: '9999-12-31T23:59:59.999Z' }, 'options.clock'],
      [{ seed: Symbol('seed') }, 'options.seed'],
      [{ seed: 10n }, 'options.seed'],
      [{ seed: Number.NaN }, 'options.seed'],
    ] as const) {
      expect(() => createDeterministicIdGenerator(options as never)).toThrow(
        expect.objectContaining({ issues: [expect.objectContaining({ path })] }),
      );
    }
    expect(() => createDeterministicIdGenerator({ seed: 7 })).not.toThrow(ValidationError);
  });
});
