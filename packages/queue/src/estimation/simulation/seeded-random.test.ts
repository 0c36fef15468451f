import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSeededRandom } from './seeded-random.js';

const DRAWS = 20_000;

describe('createSeededRandom', () => {
  it('repeats its sequence when given the same seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (seed) => {
        const a = createSeededRandom(seed);
        const b = createSeededRandom(seed);
        for (let i = 0; i < 5; i += 1) expect(a.next()).toBe(b.next());
      }),
    );
  });

  it('matches the requested lognormal mean and sd when sampling', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.double({ min: 1, max: 30, noNaN: true }),
        fc.double({ min: 0.1, max: 0.8, noNaN: true }),
        (seed, mean, cv) => {
          const random = createSeededRandom(seed);
          const draws = Array.from({ length: DRAWS }, () => random.lognormal(mean, cv * mean));
          const sampleMean = draws.reduce((sum, x) => sum + x, 0) / DRAWS;
          const sampleSd = Math.sqrt(
            draws.reduce((sum, x) => sum + (x - sampleMean) ** 2, 0) / DRAWS,
          );
          expect(Math.min(...draws)).toBeGreaterThan(0);
          expect(Math.abs(sampleMean - mean) / mean).toBeLessThan(0.03);
          expect(Math.abs(sampleSd - cv * mean) / (cv * mean)).toBeLessThan(0.1);
        },
      ),
      { numRuns: 20 },
    );
  });

  it('stays in [0, 1) with mean near one half and exponential mean near 1/rate when drawing', () => {
    const random = createSeededRandom(42);
    const uniforms = Array.from({ length: DRAWS }, () => random.next());
    expect(Math.min(...uniforms)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...uniforms)).toBeLessThan(1);
    expect(uniforms.reduce((sum, x) => sum + x, 0) / DRAWS).toBeCloseTo(0.5, 1);
    const gaps = Array.from({ length: DRAWS }, () => random.exponential(4));
    expect(gaps.reduce((sum, x) => sum + x, 0) / DRAWS).toBeCloseTo(0.25, 1);
    const hits = Array.from({ length: DRAWS }, () => random.chance(0.1)).filter(Boolean).length;
    expect(hits / DRAWS).toBeCloseTo(0.1, 1);
  });
});
