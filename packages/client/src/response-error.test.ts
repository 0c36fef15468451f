import {
  ConflictError,
  ExternalServiceError,
  ForbiddenError,
  InternalError,
  NotFoundError,
  RateLimitedError,
  TimeoutError,
  UnauthorizedError,
  ValidationError,
} from '@carequeue/core';
import { describe, expect, it } from 'vitest';
import { ApiError } from './errors.js';
import { errorFromResponse, readProblem, withResponseContext } from './response-error.js';

describe('errorFromResponse', () => {
  it.each([
    [400, 'VALIDATION_FAILED', ValidationError],
    [404, 'NOT_FOUND', NotFoundError],
    [401, 'UNAUTHORIZED', UnauthorizedError],
    [403, 'FORBIDDEN', ForbiddenError],
    [429, 'RATE_LIMITED', RateLimitedError],
    [504, 'TIMEOUT', TimeoutError],
    [500, 'INTERNAL', InternalError],
    [502, 'EXTERNAL_SERVICE_FAILED', ExternalServiceError],
    [409, 'CONFLICT', ConflictError],
    [409, 'HOLD_EXPIRED', ConflictError],
    [429, 'TOO_MANY', RateLimitedError],
    [422, 'SOMETHING_NEW', ApiError],
  ])('maps %i %s to its class', (status, code, type) => {
    const error = errorFromResponse(status, { status, code });
    expect(error).toBeInstanceOf(type);
    expect(error.code).toBe(type === RateLimitedError ? 'RATE_LIMITED' : code);
  });

  it('keeps the server detail, issues and names, and the request id and Retry-After of the headers', () => {
    const error = errorFromResponse(
      429,
      { code: 'RATE_LIMITED', detail: 'Slow down.', retryAfterMs: 500, requestId: 'body-id' },
      { requestId: 'header-id', retryAfterMs: 2000 },
    );
    expect(error).toMatchObject({
      message: 'Slow down.',
      requestId: 'header-id',
      retryAfterMs: 2000,
    });
    expect(errorFromResponse(429, { code: 'RATE_LIMITED', retryAfterMs: 500 })).toMatchObject({
      retryAfterMs: 500,
    });
    expect(errorFromResponse(403, { code: 'FORBIDDEN' })).toMatchObject({ permission: 'unknown' });
    expect(errorFromResponse(404, { code: 'NOT_FOUND' })).toMatchObject({ resource: 'record' });
  });

  it('refuses a status that is not an HTTP error status', () => {
    expect(() => errorFromResponse(200, {})).toThrow(ValidationError);
  });

  it('turns an answer that is not a problem document into ApiError with its status', () => {
    expect(errorFromResponse(418, 'I am a teapot')).toMatchObject({
      code: 'API_ERROR',
      status: 418,
    });
    expect(errorFromResponse(500, undefined)).toBeInstanceOf(ApiError);
  });
});

describe('readProblem', () => {
  it('drops fields of the wrong type and codes or names that could carry input', () => {
    expect(
      readProblem({
        code: 'lower case <script>',
        detail: 42,
        issues: [{ path: 'a', message: 'bad' }, { path: 1 }, null],
        retryAfterMs: -1,
        resource: 'patient named Jane Doe',
        permission: 'queue:read',
        instance: 'urn:correlation:',
      }),
    ).toEqual({ issues: [{ path: 'a', message: 'bad' }], permission: 'queue:read' });
    expect(readProblem(null)).toEqual({});
    expect(readProblem({ issues: 'x', instance: 'urn:other:1' })).toEqual({});
  });
});

describe('withResponseContext', () => {
  it('adds read-only context that toJSON still leaves out', () => {
    const error = withResponseContext(new InternalError(), {
      requestId: 'r1',
      retryAfterMs: undefined,
    });
    expect(error.requestId).toBe('r1');
    expect('retryAfterMs' in error).toBe(false);
    expect(error.toJSON()).not.toHaveProperty('requestId');
  });
});
