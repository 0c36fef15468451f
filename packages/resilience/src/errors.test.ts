import { isCarequeueError } from '@carequeue/core';
import { describe, expect, it } from 'vitest';
import {
  BulkheadRejectedError,
  CircuitOpenError,
  errors,
  RetryBudgetExhaustedError,
} from './index.js';

describe('errors', () => {
  it.each([
    [CircuitOpenError, 'CIRCUIT_OPEN'],
    [BulkheadRejectedError, 'BULKHEAD_REJECTED'],
    [RetryBudgetExhaustedError, 'RETRY_BUDGET_EXHAUSTED'],
  ] as const)('is a CareQueue error with a stable code when %o is thrown', (ErrorClass, code) => {
    const err = new ErrorClass({ cause: new Error('driver said no') });
    expect(isCarequeueError(err)).toBe(true);
    expect(err.code).toBe(code);
    expect(err.status).toBe(503);
    expect(err.toJSON()).not.toHaveProperty('cause');
    expect(errors[ErrorClass.name as keyof typeof errors]).toBe(ErrorClass);
  });
});
