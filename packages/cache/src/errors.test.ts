import { isCarequeueError, ValidationError } from '@carequeue/core';
import { describe, expect, it } from 'vitest';
import { CacheError, errors } from './index.js';

describe('CacheError', () => {
  it('is a CareQueue error with a stable code and status when thrown', () => {
    const err = new CacheError({ cause: new Error('driver said no') });
    expect(isCarequeueError(err)).toBe(true);
    expect(err.code).toBe('CACHE_FAILED');
    expect(err.status).toBe(500);
    expect(err.toJSON()).not.toHaveProperty('cause');
    expect(errors.CacheError).toBe(CacheError);
  });
});

describe('errors', () => {
  it('gives every error a stable code and status and keeps values out of messages when built', () => {
    const cases = [
      [new errors.CacheKeyError('expected "<namespace>:<id>"'), 'CACHE_KEY_INVALID', 400],
      [new errors.CacheTenantRequiredError(), 'CACHE_TENANT_REQUIRED', 400],
      [new errors.CacheConfigError('bad setup'), 'CACHE_CONFIG_INVALID', 500],
      [new errors.CacheSerializationError('function'), 'CACHE_SERIALIZATION_FAILED', 500],
      [new errors.CacheFactoryTimeoutError(100), 'CACHE_FACTORY_TIMEOUT', 504],
      [new errors.CacheArgumentError('options', 'must be an object'), 'VALIDATION_FAILED', 400],
      [new errors.CacheValueReadOnlyError(), 'CACHE_VALUE_READ_ONLY', 409],
      [
        new errors.CacheRedisError('read', { cause: new Error('ECONNREFUSED') }),
        'CACHE_REDIS_FAILED',
        503,
      ],
    ] as const;
    for (const [error, code, status] of cases) {
      expect(isCarequeueError(error)).toBe(true);
      expect(error.code).toBe(code);
      expect(error.status).toBe(status);
    }
    expect(new errors.CacheRedisError('read').message).toMatch(/^\[cache:redis\] /);
    expect(new errors.CacheArgumentError('key', 'must be a string').toJSON().issues).toEqual([
      { path: 'key', message: 'It must be a string.' },
    ]);
  });
});

describe('CacheArgumentError', () => {
  it('is a 400 ValidationError naming the argument path, not a 500, when an argument is invalid', () => {
    const err = new errors.CacheArgumentError('options.ttlMs', 'must be a finite number');
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.status).toBe(400);
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.issues).toEqual([{ path: 'options.ttlMs', message: 'It must be a finite number.' }]);
    expect(err.toProblem().issues).toEqual(err.issues);
    expect(err.argument).toBe('options.ttlMs');
  });
});
