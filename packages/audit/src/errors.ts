import {
  CarequeueError,
  ValidationError,
  type CarequeueErrorOptions,
  type ErrorIssue,
} from '@carequeue/core';

/**
 * The audit chain failed verification. Run verify to find the first broken row.
 *
 * @example
 * ```ts
 * import { AuditChainBrokenError, isCarequeueError } from '@carequeue/audit';
 *
 * const err = new AuditChainBrokenError();
 * isCarequeueError(err); // true
 * err.code; // 'AUDIT_CHAIN_BROKEN'
 * ```
 */
export class AuditChainBrokenError extends CarequeueError {
  constructor(options?: CarequeueErrorOptions) {
    super(
      'AUDIT_CHAIN_BROKEN',
      500,
      'The audit chain failed verification. Run verify to find the first broken row.',
      options,
    );
  }
}

/**
 * An audit event could not name its tenant: neither the call nor the request context gave one.
 * It is the caller's request that is incomplete, so it is a 400 (as `CACHE_TENANT_REQUIRED` is),
 * refused before anything is written or read.
 *
 * @example
 * ```ts
 * import { AuditTenantMissingError } from '@carequeue/audit';
 *
 * new AuditTenantMissingError().code; // 'AUDIT_TENANT_MISSING'
 * new AuditTenantMissingError().status; // 400
 * ```
 */
export class AuditTenantMissingError extends CarequeueError {
  constructor(options?: CarequeueErrorOptions) {
    super(
      'AUDIT_TENANT_MISSING',
      400,
      'The audit event has no tenant. Pass tenantId, or log inside runWithContext with a tenant.',
      options,
    );
  }
}

/**
 * A trail cursor was malformed, or was made for another sort than the query asks for.
 *
 * @example
 * ```ts
 * import { AuditCursorInvalidError } from '@carequeue/audit';
 *
 * new AuditCursorInvalidError().status; // 400
 * ```
 */
export class AuditCursorInvalidError extends CarequeueError {
  constructor(options?: CarequeueErrorOptions) {
    super(
      'AUDIT_CURSOR_INVALID',
      400,
      'The audit trail cursor is invalid. Pass the nextCursor of a page read with the same sort, or none.',
      options,
    );
  }
}

/**
 * A storage adapter failed. The message names the adapter (`[audit:postgres]`) and the driver
 * error is the `cause`.
 *
 * @example
 * ```ts
 * import { AuditStoreError } from '@carequeue/audit';
 *
 * const err = new AuditStoreError('postgres', 'append', { cause: new Error('connection reset') });
 * err.message; // '[audit:postgres] append failed. ...'
 * ```
 */
export class AuditStoreError extends CarequeueError {
  /** The adapter that failed, e.g. `postgres`. */
  readonly adapter: string;

  constructor(adapter: string, operation: string, options?: CarequeueErrorOptions) {
    super(
      'AUDIT_STORE_FAILED',
      503,
      `[audit:${adapter}] ${operation} failed. Check the database connection and that the audit migrations ran; the cause has the driver error.`,
      options,
    );
    this.adapter = adapter;
  }
}

/**
 * A signed checkpoint cannot vouch for the chain it was given for: its signature does not verify
 * with the public key (`reason: 'signature'`), or it was signed for another tenant
 * (`reason: 'tenant'`).
 *
 * @example
 * ```ts
 * import { AuditCheckpointInvalidError } from '@carequeue/audit';
 *
 * new AuditCheckpointInvalidError().code; // 'AUDIT_CHECKPOINT_INVALID'
 * new AuditCheckpointInvalidError({ reason: 'tenant' }).reason; // 'tenant'
 * ```
 */
export class AuditCheckpointInvalidError extends CarequeueError {
  /** Why the checkpoint was refused. */
  readonly reason: 'signature' | 'tenant';

  constructor(options: CarequeueErrorOptions & { readonly reason?: 'signature' | 'tenant' } = {}) {
    const { reason = 'signature', ...errorOptions } = options;
    super(
      'AUDIT_CHECKPOINT_INVALID',
      422,
      reason === 'tenant'
        ? "The audit checkpoint is invalid: it was signed for another tenant than the one verified. Use that tenant's own checkpoint."
        : 'The audit checkpoint is invalid: its signature does not verify with the given public key. Use a checkpoint signed by your audit signing key.',
      errorOptions,
    );
    this.reason = reason;
  }
}

/**
 * A buffered audit writer was closed; it accepts no more events.
 *
 * @example
 * ```ts
 * import { AuditWriterClosedError } from '@carequeue/audit';
 *
 * new AuditWriterClosedError().code; // 'AUDIT_WRITER_CLOSED'
 * ```
 */
export class AuditWriterClosedError extends CarequeueError {
  constructor(options?: CarequeueErrorOptions) {
    super(
      'AUDIT_WRITER_CLOSED',
      503,
      'The audit writer is closed. Create a new writer, or write before calling close().',
      options,
    );
  }
}

/**
 * A read event could not be made durable: the store and the local spool (if any) both failed.
 * The caller must not return the data it read. The cause has the last failure.
 *
 * @example
 * ```ts
 * import { AuditWriteFailedError } from '@carequeue/audit';
 *
 * new AuditWriteFailedError({ cause: new Error('disk full') }).status; // 503
 * ```
 */
export class AuditWriteFailedError extends CarequeueError {
  constructor(options?: CarequeueErrorOptions) {
    super(
      'AUDIT_WRITE_FAILED',
      503,
      'The audit event could not be made durable in the store or the spool. Do not return the data; check the database and the spool directory.',
      options,
    );
  }
}

/**
 * PostgREST refused a request of the Supabase audit store. `postgrestCode` is PostgREST's
 * `code` (a SQLSTATE such as `42501`, or a `PGRST...` code); the PostgREST error body is the
 * cause. Its `message`, `details` and `hint` may quote stored values, so they stay out of the
 * message.
 *
 * @example
 * ```ts
 * import { AuditSupabaseRequestError } from '@carequeue/audit';
 *
 * new AuditSupabaseRequestError('append', '42501').status; // 403
 * ```
 */
export class AuditSupabaseRequestError extends CarequeueError {
  /** PostgREST's error code, or null when the response carried none. */
  readonly postgrestCode: string | null;

  constructor(operation: string, postgrestCode: string | null, options?: CarequeueErrorOptions) {
    const forbidden = postgrestCode === '42501' || (postgrestCode ?? '').startsWith('PGRST3');
    const reused = postgrestCode === '23505';
    super(
      'AUDIT_SUPABASE_REQUEST_FAILED',
      forbidden ? 403 : reused ? 409 : 503,
      forbidden
        ? `[audit:supabase] ${operation} was refused (PostgREST code ${postgrestCode}). Use a key whose role holds the audit grants: seal and verify need the service role, and an end user's token appends only events of their own tenant and user that their role may record.`
        : reused
          ? `[audit:supabase] ${operation} was refused (PostgREST code 23505): an event id is taken by another event. Give each event a new id; appending the same event again is ignored.`
          : `[audit:supabase] ${operation} failed (PostgREST code ${postgrestCode ?? 'none'}). Check that the audit schema is exposed to PostgREST and the audit migrations ran; the cause has the PostgREST error.`,
      options,
    );
    this.postgrestCode = postgrestCode;
  }
}

/**
 * A retention policy keeps a class less long than its jurisdiction's floor without an explicit,
 * audited acknowledgement.
 *
 * @example
 * ```ts
 * import { AuditRetentionBelowFloorError } from '@carequeue/audit';
 *
 * new AuditRetentionBelowFloorError(['standard'], 'us-hipaa').code; // 'AUDIT_RETENTION_BELOW_FLOOR'
 * ```
 */
export class AuditRetentionBelowFloorError extends CarequeueError {
  /** The classes below their floor. */
  readonly retentionClasses: readonly string[];

  constructor(
    retentionClasses: readonly string[],
    jurisdiction: string,
    options?: CarequeueErrorOptions,
  ) {
    super(
      'AUDIT_RETENTION_BELOW_FLOOR',
      422,
      `Retention of ${retentionClasses.join(', ')} is below the ${jurisdiction} floor. Keep at least the floor, or pass belowFloor (who and why) and audit so the acknowledgement is recorded.`,
      options,
    );
    this.retentionClasses = retentionClasses;
  }
}

/**
 * A retention archive failed its checks: its bytes, event count or hashes differ from its
 * manifest, or a partition could not be archived as it stands (unsealed events).
 *
 * @example
 * ```ts
 * import { AuditArchiveInvalidError } from '@carequeue/audit';
 *
 * new AuditArchiveInvalidError('archive sha256 differs').code; // 'AUDIT_ARCHIVE_INVALID'
 * ```
 */
export class AuditArchiveInvalidError extends CarequeueError {
  constructor(problem: string, options?: CarequeueErrorOptions) {
    super(
      'AUDIT_ARCHIVE_INVALID',
      422,
      `The audit archive is invalid: ${problem}. Restore the archive from its write-once copy, or rerun retention for the partition.`,
      options,
    );
  }
}

/**
 * A factory of `@carequeue/audit` was given options it cannot work with: options that are not an
 * object, a missing or wrong-typed option (a store without `append`, a negative batch size), or
 * an option the factory does not know (a misspelt `flushIntervalMS`, which would otherwise be
 * ignored in silence). It is refused when the factory is called, before any store or file is
 * touched, instead of a raw `TypeError` on the first use.
 *
 * It is a core `ValidationError`, so `issues` lists each option at fault (path and rule, never
 * the value given), but with its own code and status 500: the host's configuration is wrong, not
 * the request being served. Fix the configuration the message names.
 *
 * @example
 * ```ts
 * import { AuditConfigError, createBufferedAuditWriter, memoryAuditStore } from '@carequeue/audit';
 *
 * try {
 *   createBufferedAuditWriter({ store: memoryAuditStore(), flushIntervalMS: 10 } as never);
 * } catch (err) {
 *   if (err instanceof AuditConfigError) console.error(err.factory, err.issues[0]?.path); // createBufferedAuditWriter options.flushIntervalMS
 * }
 * ```
 */
export class AuditConfigError extends ValidationError {
  /** `AUDIT_CONFIG_INVALID`, in place of `VALIDATION_FAILED`. */
  override readonly code: string = 'AUDIT_CONFIG_INVALID';
  /** 500, in place of 400: the configuration is at fault, not a request. */
  override readonly status: number = 500;
  /** The factory that refused its options, such as `createBufferedAuditWriter`. */
  readonly factory: string;

  constructor(factory: string, issues: readonly ErrorIssue[], options?: CarequeueErrorOptions) {
    const listed = issues
      .slice(0, 5)
      .map((entry) => `${entry.path} ${entry.message}`)
      .join('; ');
    super(
      `Invalid audit configuration: ${factory} ${listed}${issues.length > 5 ? '; and more, see issues' : ''}.`,
      issues,
      options,
    );
    this.factory = factory;
  }
}

/**
 * Every error class of `@carequeue/audit`, keyed by class name.
 *
 * @example
 * ```ts
 * if (err instanceof errors.AuditChainBrokenError) console.warn(err.code);
 * ```
 */
export const errors = {
  AuditChainBrokenError,
  AuditTenantMissingError,
  AuditCursorInvalidError,
  AuditStoreError,
  AuditCheckpointInvalidError,
  AuditWriterClosedError,
  AuditWriteFailedError,
  AuditSupabaseRequestError,
  AuditRetentionBelowFloorError,
  AuditArchiveInvalidError,
  AuditConfigError,
} as const;
