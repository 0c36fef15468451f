import { isCarequeueError } from '@carequeue/core';
import { describe, expect, it } from 'vitest';
import { ApiError, ClientConfigError, errors } from './index.js';

describe('ApiError', () => {
  it('is a CareQueue error with a stable code and status when thrown', () => {
    const err = new ApiError({ cause: new Error('driver said no') });
    expect(isCarequeueError(err)).toBe(true);
    expect(err.code).toBe('API_ERROR');
    expect(err.status).toBe(500);
    expect(err.toJSON()).not.toHaveProperty('cause');
    expect(errors.ApiError).toBe(ApiError);
  });

  it('carries the code, status and message the API answered', () => {
    const err = new ApiError({
      code: 'QUEUE_CLOSED',
      status: 409,
      message: 'The queue is closed.',
    });
    expect(err.toJSON()).toMatchObject({
      code: 'QUEUE_CLOSED',
      status: 409,
      message: 'The queue is closed.',
    });
  });
});

describe('ClientConfigError', () => {
  it('names the option in a fixed message', () => {
    const err = new ClientConfigError('timeoutMs must be a positive number.');
    expect(err).toMatchObject({ code: 'CLIENT_CONFIG_INVALID', status: 500 });
    expect(err.message).toBe('Invalid client configuration: timeoutMs must be a positive number.');
    expect(errors.ClientConfigError).toBe(ClientConfigError);
  });
});
