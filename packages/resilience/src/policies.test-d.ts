import { describe, expectTypeOf, it } from 'vitest';
import {
  createCircuitBreaker,
  createFallbackPolicy,
  createPipelinePolicy,
  type Policy,
  retryWithBackoff,
  type BreakerState,
} from './index.js';

describe('policy types', () => {
  it('adds the fallback type to results only when a breaker has a fallback', () => {
    const plain = createCircuitBreaker();
    const withNull = createCircuitBreaker({ fallback: () => null });
    expectTypeOf(plain.execute(() => Promise.resolve(1))).toEqualTypeOf<Promise<number>>();
    expectTypeOf(withNull.execute(() => Promise.resolve(1))).toEqualTypeOf<
      Promise<number | null>
    >();
    expectTypeOf(plain.getState()).toEqualTypeOf<BreakerState>();
  });

  it('accepts a breaker without fallback as a pipeline step and rejects one with a fallback', () => {
    expectTypeOf(createCircuitBreaker()).toMatchTypeOf<Policy>();
    expectTypeOf(createCircuitBreaker({ fallback: () => 'cached' })).not.toMatchTypeOf<Policy>();
    expectTypeOf(createPipelinePolicy({})).toEqualTypeOf<Policy>();
  });

  it('keeps the roadmap signature of retryWithBackoff', () => {
    expectTypeOf(retryWithBackoff(() => Promise.resolve('sent'), 3, 1000)).toEqualTypeOf<
      Promise<string>
    >();
    expectTypeOf(createFallbackPolicy(() => 0).execute(() => Promise.resolve('a'))).toEqualTypeOf<
      Promise<string | number>
    >();
  });
});
