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
import { BulkheadRejectedError, CircuitOpenError } from '../errors.js';
import { isTransientError } from './is-transient-error.js';

function withFields(fields: Record<string, unknown>, name = 'Error'): Error {
  const error = new Error('failed');
  error.name = name;
  return Object.assign(error, fields);
}

describe('isTransientError', () => {
  it.each([
    ['rate limited', new RateLimitedError(1000)],
    ['timeout', new TimeoutError('sms', 100)],
    ['dependency 5xx', new ExternalServiceError('twilio', 'answered 503')],
    ['connection reset', withFields({ code: 'ECONNRESET' })],
    ['fetch failure with a cause', withFields({ cause: { code: 'UND_ERR_SOCKET' } }, 'TypeError')],
    ['HTTP 503', withFields({ status: 503 })],
    ['HTTP 429', withFields({ statusCode: 429 })],
    ['DOM timeout', withFields({}, 'TimeoutError')],
  ])('retries a %s failure', (_kind, error) => {
    expect(isTransientError(error)).toBe(true);
  });

  it.each([
    ['validation', new ValidationError('bad')],
    ['unauthorized', new UnauthorizedError()],
    ['forbidden', new ForbiddenError('patient:read')],
    ['conflict', new ConflictError('taken')],
    ['not found', new NotFoundError('patient')],
    ['internal', new InternalError()],
    ['permanent dependency failure', new ExternalServiceError('ml', 'bad', { transient: false })],
    ['open circuit', new CircuitOpenError()],
    ['full bulkhead', new BulkheadRejectedError()],
    ['abort', withFields({}, 'AbortError')],
    ['HTTP 400', withFields({ status: 400 })],
    ['HTTP 501', withFields({ status: 501 })],
    ['plain error', new Error('boom')],
    ['non-error value', 'boom'],
  ])('does not retry a %s failure', (_kind, error) => {
    expect(isTransientError(error)).toBe(false);
  });
});
