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
