import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from './errors.js';
import { createUuidv7Factory, uuidv7, uuidv7Timestamp } from './uuidv7.js';

const UUIDV7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('uuidv7', () => {
  it('returns an RFC 9562 version 7 UUID when called', () => {
    expect(uuidv7()).toMatch(UUIDV7);
  });

  it('returns distinct ids when called many times', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => uuidv7()));
    expect(ids.size).toBe(1000);
  });
});

describe('createUuidv7Factory', () => {
  it('encodes the clock time in the first 48 bits when the clock moves', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 48 - 1 }), (ms) => {
        const next = createUuidv7Factory({ now: () => ms, random: (bytes) => bytes.fill(0) });
        const id = next();
        expect(id).toMatch(UUIDV7);
        expect(uuidv7Timestamp(id)).toBe(ms);
      }),
    );
  });

  it('keeps ids strictly increasing when the clock stands still or goes backwards', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 10 }), { minLength: 2, maxLength: 5000 }),
        (times) => {
          let index = 0;
          const next = createUuidv7Factory({
            now: () => times[index++ % times.length] ?? 0,
            random: (bytes) => bytes.fill(0xff),
          });
          const ids = times.map(() => next());
          for (let i = 1; i < ids.length; i += 1) {
            expect((ids[i] ?? '') > (ids[i - 1] ?? '')).toBe(true);
            expect(ids[i]).toMatch(UUIDV7);
          }
        },
      ),
      { numRuns: 30 },
    );
  });

  it('createUuidv7Factory refuses sources without now and random functions with a ValidationError instead of a raw TypeError on first use', () => {
    for (const sources of [
      null,
      'sources',
      { now: () => 0 },
      { now: 0, random: () => undefined },
    ]) {
      expect(() => createUuidv7Factory(sources as never)).toThrow(ValidationError);
    }
  });
});
