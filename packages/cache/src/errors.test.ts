import { isCarequeueError } from '@carequeue/core';
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
