/**
 * A seeded pseudo-random source for reproducible simulations (mulberry32), with the few
 * distributions the clinic simulation draws from.
 *
 * @packageDocumentation
 */
import { z } from 'zod';
import { lognormalFromMoments } from '../lognormal.js';
import { parseArguments } from '@carequeue/core';

/**
 * Reproducible random draws: the same seed always gives the same sequence.
 *
 * @example
 * ```ts
 * const random = createSeededRandom(11);
 * random.lognormal(12, 6);
 * ```
 */
export interface SeededRandom {
  /** Uniform on [0, 1). */
  next(): number;
  /** Standard normal (Box-Muller). */
  normal(): number;
  /** Exponential with the given rate per unit of time. */
  exponential(rate: number): number;
  /** Lognormal whose mean and standard deviation are `mean` and `sd`. */
  lognormal(mean: number, sd: number): number;
  /** `true` with probability `p`. */
  chance(p: number): boolean;
}

// Any number seeds the generator (it is reduced to 32 bits); anything else is refused.
const seededRandomArguments = z.object({
  seed: z.custom<number>((value) => typeof value === 'number', { message: 'must be a number' }),
});

/**
 * Creates a {@link SeededRandom} on mulberry32, a 32-bit generator that passes the usual
 * statistical batteries for simulation use (it is not for anything secret).
 *
 * @example
 * ```ts
 * import { createSeededRandom } from '@carequeue/queue';
 *
 * const a = createSeededRandom(7);
 * const b = createSeededRandom(7);
 * a.next() === b.next(); // true
 * ```
 * @throws `ValidationError` naming `seed` when it is not a number.
 */
export function createSeededRandom(seed: number): SeededRandom {
  parseArguments(seededRandomArguments, { seed }, 'createSeededRandom');
  let state = seed >>> 0;
  function next(): number {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  function normal(): number {
    // 1 - next() is in (0, 1], so the logarithm is finite.
    const radius = Math.sqrt(-2 * Math.log(1 - next()));
    return radius * Math.cos(2 * Math.PI * next());
  }
  return {
    next,
    normal,
    exponential: (rate) => -Math.log(1 - next()) / rate,
    lognormal(mean, sd) {
      const { mu, sigma } = lognormalFromMoments(mean, sd);
      return Math.exp(mu + sigma * normal());
    },
    chance: (p) => next() < p,
  };
}
