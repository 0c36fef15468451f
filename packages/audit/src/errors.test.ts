import { isCarequeueError, ValidationError } from '@carequeue/core';
import { describe, expect, it } from 'vitest';
import {
  AuditArchiveInvalidError,
  AuditChainBrokenError,
  AuditRetentionBelowFloorError,
  AuditCheckpointInvalidError,
  AuditConfigError,
  AuditCursorInvalidError,
  AuditStoreError,
  AuditSupabaseRequestError,
  AuditTenantMissingError,
  AuditWriteFailedError,
  AuditWriterClosedError,
  errors,
} from './index.js';

describe('audit errors', () => {
  it('are CareQueue errors with stable codes and statuses when thrown', () => {
    const cases = [
      [
        new AuditChainBrokenError({ cause: new Error('driver said no') }),
        'AUDIT_CHAIN_BROKEN',
        500,
      ],
      [new AuditTenantMissingError(), 'AUDIT_TENANT_MISSING', 400],
      [new AuditCursorInvalidError(), 'AUDIT_CURSOR_INVALID', 400],
      [new AuditStoreError('postgres', 'append'), 'AUDIT_STORE_FAILED', 503],
      [new AuditCheckpointInvalidError(), 'AUDIT_CHECKPOINT_INVALID', 422],
      [new AuditWriterClosedError(), 'AUDIT_WRITER_CLOSED', 503],
      [new AuditWriteFailedError(), 'AUDIT_WRITE_FAILED', 503],
      [new AuditSupabaseRequestError('seal', '42501'), 'AUDIT_SUPABASE_REQUEST_FAILED', 403],
      [new AuditSupabaseRequestError('seal', 'PGRST202'), 'AUDIT_SUPABASE_REQUEST_FAILED', 503],
      [new AuditSupabaseRequestError('append', '23505'), 'AUDIT_SUPABASE_REQUEST_FAILED', 409],
      [
        new AuditRetentionBelowFloorError(['standard'], 'us-hipaa'),
        'AUDIT_RETENTION_BELOW_FLOOR',
        422,
      ],
      [new AuditArchiveInvalidError('count differs'), 'AUDIT_ARCHIVE_INVALID', 422],
      [
        new AuditConfigError('fileAuditSpool', [
          { path: 'options.path', message: 'must be a path' },
        ]),
        'AUDIT_CONFIG_INVALID',
        500,
      ],
    ] as const;
    for (const [err, code, status] of cases) {
      expect(isCarequeueError(err)).toBe(true);
      expect(err.code).toBe(code);
      expect(err.status).toBe(status);
      expect(err.toJSON()).not.toHaveProperty('cause');
    }
    expect(errors.AuditChainBrokenError).toBe(AuditChainBrokenError);
    expect(Object.keys(errors)).toHaveLength(11);
  });

  it('is a ValidationError naming the factory and each option at fault when a configuration is refused', () => {
    const err = new AuditConfigError('createAuditSealTask', [
      { path: 'options.store', message: 'must be an AuditStore (with seal)' },
      { path: 'options.batchSize', message: 'must be an integer from 1 to 100000' },
    ]);
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.factory).toBe('createAuditSealTask');
    expect(err.message).toBe(
      'Invalid audit configuration: createAuditSealTask options.store must be an AuditStore (with seal); options.batchSize must be an integer from 1 to 100000.',
    );
    expect(err.toJSON()).toMatchObject({ code: 'AUDIT_CONFIG_INVALID', issues: err.issues });
    expect(errors.AuditConfigError).toBe(AuditConfigError);
  });

  it('names the adapter and keeps the driver error as cause when a store fails', () => {
    const cause = new Error('connection reset');
    const err = new AuditStoreError('postgres', 'append', { cause });
    expect(err.message.startsWith('[audit:postgres] append failed.')).toBe(true);
    expect(err.cause).toBe(cause);
    expect(err.adapter).toBe('postgres');
  });
});
