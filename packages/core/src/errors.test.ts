import { describe, expect, it } from 'vitest';
import {
  CarequeueError,
  ConflictError,
  ExternalServiceError,
  ForbiddenError,
  InternalError,
  NotFoundError,
  RateLimitedError,
  TimeoutError,
  UnauthorizedError,
  ValidationError,
  errors,
  isCarequeueError,
  toCarequeueError,
} from './errors.js';

describe('CarequeueError', () => {
  it('carries code, status, name and cause when constructed by a subclass', () => {
    const cause = new Error('socket hang up');
    const err = new ExternalServiceError('twilio', 'Twilio did not answer.', { cause });
    expect(err).toBeInstanceOf(CarequeueError);
    expect(err.name).toBe('ExternalServiceError');
    expect(err.code).toBe('EXTERNAL_SERVICE_FAILED');
    expect(err.status).toBe(502);
    expect(err.cause).toBe(cause);
    expect(err.transient).toBe(true);
    expect(err.message).toBe('[twilio] Twilio did not answer.');
  });

  it('maps each core error to its HTTP status', () => {
    expect(new ValidationError('bad').status).toBe(400);
    expect(new UnauthorizedError().status).toBe(401);
    expect(new ForbiddenError('patient:read').status).toBe(403);
    expect(new NotFoundError('patient').status).toBe(404);
    expect(new ConflictError('taken').status).toBe(409);
    expect(new RateLimitedError(1000).status).toBe(429);
    expect(new InternalError().status).toBe(500);
    expect(new TimeoutError('sms.send', 5000).status).toBe(504);
  });

  it('lets a conflict and an external failure carry a package code', () => {
    expect(new ConflictError('taken', { code: 'SLOT_UNAVAILABLE' }).code).toBe('SLOT_UNAVAILABLE');
    const permanent = new ExternalServiceError('twilio', 'bad number', {
      transient: false,
      code: 'SMS_REJECTED',
    });
    expect(permanent.code).toBe('SMS_REJECTED');
    expect(permanent.transient).toBe(false);
  });

  it('serializes issues and retry hints but never the cause', () => {
    const err = new ValidationError(
      'The patient is invalid.',
      [{ path: 'contact.phone', message: 'must be an E.164 number' }],
      { cause: new Error('+33 6 12 34 56 78') },
    );
    const json = JSON.stringify(err);
    expect(JSON.parse(json)).toEqual({
      name: 'ValidationError',
      code: 'VALIDATION_FAILED',
      status: 400,
      message: 'The patient is invalid.',
      issues: [{ path: 'contact.phone', message: 'must be an E.164 number' }],
    });
    expect(json).not.toContain('+33');
    expect(new RateLimitedError(2500).toJSON().retryAfterMs).toBe(2500);
  });

  it('renders RFC 9457 problem details with a type URI and an instance when given', () => {
    const problem = new ForbiddenError('patient:read').toProblem('urn:correlation:abc');
    expect(problem).toEqual({
      type: 'https://carequeue.dev/problems/forbidden',
      title: 'Forbidden',
      status: 403,
      detail: 'Permission patient:read is required for this action.',
      code: 'FORBIDDEN',
      instance: 'urn:correlation:abc',
    });
    expect(new TimeoutError('ml.estimate', 300).toProblem()).not.toHaveProperty('instance');
    expect(new RateLimitedError(1000).toProblem().title).toBe('Rate limited');
  });
});

describe('isCarequeueError', () => {
  it('recognizes a branded error from another copy of the package', () => {
    const foreign = { isCarequeueError: true, code: 'NOT_FOUND', status: 404, message: 'x' };
    expect(isCarequeueError(foreign)).toBe(true);
  });

  it('rejects plain errors and look-alikes without the brand', () => {
    expect(isCarequeueError(new Error('x'))).toBe(false);
    expect(isCarequeueError({ code: 'NOT_FOUND', status: 404 })).toBe(false);
    expect(isCarequeueError(null)).toBe(false);
    expect(isCarequeueError('NOT_FOUND')).toBe(false);
  });
});

describe('toCarequeueError', () => {
  it('passes CareQueue errors through unchanged', () => {
    const err = new NotFoundError('clinic');
    expect(toCarequeueError(err)).toBe(err);
  });

  it('wraps anything else in an InternalError that reveals nothing of it', () => {
    const thrown = new Error('duplicate key value (email)=(jane@example.org)');
    const err = toCarequeueError(thrown);
    expect(err).toBeInstanceOf(InternalError);
    expect(err.cause).toBe(thrown);
    expect(JSON.stringify(err)).not.toContain('jane');
    expect(JSON.stringify(err.toProblem())).not.toContain('jane');
    expect(toCarequeueError('a string').code).toBe('INTERNAL');
  });
});

describe('errors map', () => {
  it('lists every core error class by name', () => {
    for (const [name, ctor] of Object.entries(errors)) {
      expect(ctor.name).toBe(name);
    }
    expect(Object.keys(errors)).toHaveLength(10);
  });
});
