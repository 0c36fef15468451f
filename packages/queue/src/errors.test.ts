import { isCarequeueError } from '@carequeue/core';
import { describe, expect, it } from 'vitest';
import { SlotUnavailableError, errors } from './index.js';

describe('SlotUnavailableError', () => {
  it('is a CareQueue error with a stable code and status when thrown', () => {
    const err = new SlotUnavailableError({ cause: new Error('driver said no') });
    expect(isCarequeueError(err)).toBe(true);
    expect(err.code).toBe('SLOT_UNAVAILABLE');
    expect(err.status).toBe(409);
    expect(err.toJSON()).not.toHaveProperty('cause');
    expect(errors.SlotUnavailableError).toBe(SlotUnavailableError);
  });
});

describe('InvalidCursorError', () => {
  it('is a 400 with a stable code when a cursor is unreadable', () => {
    const err = new errors.InvalidCursorError();
    expect(err.code).toBe('INVALID_CURSOR');
    expect(err.status).toBe(400);
  });
});

describe('StaleVersionError', () => {
  it('is a 409 naming the resource kind when a version is stale', () => {
    const err = new errors.StaleVersionError('patient');
    expect(err.code).toBe('STALE_VERSION');
    expect(err.status).toBe(409);
    expect(err.resource).toBe('patient');
  });
});

describe('NestedUnitOfWorkError', () => {
  it('is a 500 with a stable code when a unit of work waits for itself', () => {
    const err = new errors.NestedUnitOfWorkError();
    expect(err.code).toBe('NESTED_UNIT_OF_WORK');
    expect(err.status).toBe(500);
  });
});
