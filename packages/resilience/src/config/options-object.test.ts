import { describe, expect, it } from 'vitest';
import {
  breakerHealthCheck,
  createBulkhead,
  createCircuitBreaker,
  createIdempotency,
  memoryIdempotencyStore,
  memoryRateLimitStore,
  createDeadLetterQueue,
  createFallbackPolicy,
  createHealthRegistry,
  createPipelinePolicy,
  createRateLimiter,
  ResilienceConfigError,
  createRetryPolicy,
  createRetryBudget,
  createTimeoutPolicy,
} from '../index.js';
import { postgresDeadLetterStore, postgresIdempotencyStore } from '../postgres/index.js';
import {
  redisBreakerStateBus,
  redisIdempotencyStore,
  redisRateLimitStore,
} from '../redis/index.js';
import { optionsObject } from './options-object.js';

// Every factory and constructor of the root, ./redis and ./postgres entries that takes an
// options object (or an object argument), called with the value in place of that object.
const factories: Readonly<Record<string, (value: unknown) => unknown>> = {
  CircuitBreaker: (value) => createCircuitBreaker(value as never),
  HealthRegistry: (value) => createHealthRegistry(value as never),
  'HealthRegistry.register': (value) =>
    createHealthRegistry().register('db', () => undefined, value as never),
  RetryBudget: (value) => createRetryBudget(value as never),
  retry: (value) => createRetryPolicy(value as never),
  timeout: (value) => createTimeoutPolicy(500, value as never),
  Bulkhead: (value) => createBulkhead(value as never),
  fallback: (value) => createFallbackPolicy(() => null, value as never),
  pipeline: (value) => createPipelinePolicy(value as never),
  breakerHealthCheck: (value) => breakerHealthCheck(value as never),
  RateLimiter: (value) => createRateLimiter(value as never),
  'RateLimiter endpointLimit': (value) =>
    createRateLimiter({ windowMs: 1000, max: 1, endpointLimit: value as never }),
  memoryRateLimitStore: (value) => memoryRateLimitStore(value as never),
  createIdempotency: (value) => createIdempotency(value as never),
  'createIdempotency store': (value) => createIdempotency({ store: value as never }),
  memoryIdempotencyStore: (value) => memoryIdempotencyStore(value as never),
  DeadLetterQueue: (value) => createDeadLetterQueue(value as never),
  'DeadLetterQueue store': (value) => createDeadLetterQueue({ store: value as never }),
  redisRateLimitStore: (value) => redisRateLimitStore(value as never),
  'redisRateLimitStore client': (value) => redisRateLimitStore({ client: value as never }),
  redisIdempotencyStore: (value) => redisIdempotencyStore(value as never),
  'redisIdempotencyStore client': (value) => redisIdempotencyStore({ client: value } as never),
  'redisIdempotencyStore encryptor': (value) =>
    redisIdempotencyStore({ client: {}, encryptor: value } as never),
  redisBreakerStateBus: (value) => redisBreakerStateBus(value as never),
  'redisBreakerStateBus client': (value) => redisBreakerStateBus({ client: value as never }),
  postgresDeadLetterStore: (value) => postgresDeadLetterStore(value as never),
  'postgresDeadLetterStore executor': (value) =>
    postgresDeadLetterStore({ executor: value } as never),
  postgresIdempotencyStore: (value) => postgresIdempotencyStore(value as never),
  'postgresIdempotencyStore executor': (value) =>
    postgresIdempotencyStore({ executor: value } as never),
};

describe('optionsObject', () => {
  it('returns the object when given one', () => {
    const options = { maxConcurrent: 1 };
    expect(optionsObject('Bulkhead options', options)).toBe(options);
  });

  it('throws ResilienceConfigError naming the argument when given null, a string, a number or an array', () => {
    for (const value of [null, 'x', 1, []]) {
      expect(() => optionsObject('Bulkhead options', value as never)).toThrow(
        'Bulkhead options must be an object.',
      );
    }
  });
});

describe('options that are not objects', () => {
  for (const [name, create] of Object.entries(factories)) {
    it(`throws ResilienceConfigError, never a raw TypeError, from ${name} when given null, a string or a number`, () => {
      for (const value of [null, 'clinic', 42]) {
        expect(() => create(value)).toThrow(ResilienceConfigError);
      }
    });
  }
});
