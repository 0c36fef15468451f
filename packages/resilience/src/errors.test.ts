import { isCarequeueError } from '@carequeue/core';
import { describe, expect, it } from 'vitest';
import { CircuitOpenError, errors } from './index.js';

describe('CircuitOpenError', () => {
  it('is a CareQueue error with a stable code and status when thrown', () => {
    const err = new CircuitOpenError({ cause: new Error('driver said no') });
    expect(isCarequeueError(err)).toBe(true);
    expect(err.code).toBe('CIRCUIT_OPEN');
    expect(err.status).toBe(503);
    expect(err.toJSON()).not.toHaveProperty('cause');
    expect(errors.CircuitOpenError).toBe(CircuitOpenError);
  });
});
