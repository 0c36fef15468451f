import { isCarequeueError } from '@carequeue/core';
import { describe, expect, it } from 'vitest';
import { ApiError, errors } from './index.js';

describe('ApiError', () => {
  it('is a CareQueue error with a stable code and status when thrown', () => {
    const err = new ApiError({ cause: new Error('driver said no') });
    expect(isCarequeueError(err)).toBe(true);
    expect(err.code).toBe('API_ERROR');
    expect(err.status).toBe(500);
    expect(err.toJSON()).not.toHaveProperty('cause');
    expect(errors.ApiError).toBe(ApiError);
  });
});
