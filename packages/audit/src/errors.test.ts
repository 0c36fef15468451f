import { isCarequeueError } from '@carequeue/core';
import { describe, expect, it } from 'vitest';
import { AuditChainBrokenError, errors } from './index.js';

describe('AuditChainBrokenError', () => {
  it('is a CareQueue error with a stable code and status when thrown', () => {
    const err = new AuditChainBrokenError({ cause: new Error('driver said no') });
    expect(isCarequeueError(err)).toBe(true);
    expect(err.code).toBe('AUDIT_CHAIN_BROKEN');
    expect(err.status).toBe(500);
    expect(err.toJSON()).not.toHaveProperty('cause');
    expect(errors.AuditChainBrokenError).toBe(AuditChainBrokenError);
  });
});
