import {
  CarequeueError,
  ConflictError,
  ExternalServiceError,
  type CarequeueErrorOptions,
} from '../errors.js';

/**
 * The SQLSTATE of a driver error (`pg` and PGlite both expose it as `code`), if it has one.
 *
 * @example
 * ```ts
 * if (sqlStateOf(error) === '40001') retry();
 * ```
 */
export function sqlStateOf(error: unknown): string | undefined {
  const code: unknown =
    typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

function constraintOf(error: unknown): string | undefined {
  const constraint: unknown =
    typeof error === 'object' && error !== null
      ? (error as { constraint?: unknown }).constraint
      : undefined;
  return typeof constraint === 'string' ? constraint : undefined;
}

/**
 * A row would duplicate a unique key (SQLSTATE 23505). `constraint` names the key; the driver's
 * detail, which holds the values, is kept only as `cause`.
 *
 * @example
 * ```ts
 * if (err instanceof UniqueViolationError && err.constraint === 'patients_email_key') askToSignIn();
 * ```
 */
export class UniqueViolationError extends ConflictError {
  /** Name of the violated constraint or index, when the driver reported it. */
  readonly constraint: string | undefined;

  constructor(constraint: string | undefined, options?: CarequeueErrorOptions) {
    super(
      `The record already exists${constraint ? ` (constraint ${constraint})` : ''}. Use the existing record or change the unique fields.`,
      { ...options, code: 'UNIQUE_VIOLATION' },
    );
    this.constraint = constraint;
  }
}

/**
 * A row would overlap another under an exclusion constraint (SQLSTATE 23P01), such as two
 * bookings of one provider at the same time.
 *
 * @example
 * ```ts
 * if (err instanceof ExclusionViolationError) return reply.status(409).send(err.toProblem());
 * ```
 */
export class ExclusionViolationError extends ConflictError {
  /** Name of the violated exclusion constraint, when the driver reported it. */
  readonly constraint: string | undefined;

  constructor(constraint: string | undefined, options?: CarequeueErrorOptions) {
    super(
      `The record overlaps an existing one${constraint ? ` (constraint ${constraint})` : ''}. Pick another time or resource.`,
      { ...options, code: 'EXCLUSION_VIOLATION' },
    );
    this.constraint = constraint;
  }
}

/**
 * A row references a missing record, or a referenced record is still in use (SQLSTATE 23503).
 *
 * @example
 * ```ts
 * if (err instanceof ForeignKeyViolationError) throw new NotFoundError('clinic');
 * ```
 */
export class ForeignKeyViolationError extends ConflictError {
  /** Name of the violated foreign key, when the driver reported it. */
  readonly constraint: string | undefined;

  constructor(constraint: string | undefined, options?: CarequeueErrorOptions) {
    super(
      `The record refers to a missing record, or is still referred to${constraint ? ` (constraint ${constraint})` : ''}. Create or keep the referenced record first.`,
      { ...options, code: 'FOREIGN_KEY_VIOLATION' },
    );
    this.constraint = constraint;
  }
}

/**
 * The transaction lost a race (serialization failure 40001 or deadlock 40P01); retrying it may
 * succeed.
 *
 * @example
 * ```ts
 * if (err instanceof TransactionConflictError) return retry(operation);
 * ```
 */
export class TransactionConflictError extends ConflictError {
  constructor(options?: CarequeueErrorOptions) {
    super('The transaction conflicted with a concurrent one. Retry it.', {
      ...options,
      code: 'TRANSACTION_CONFLICT',
    });
  }
}

/**
 * The database refused access (SQLSTATE 42501), including a write rejected by a row-level
 * security policy.
 *
 * @example
 * ```ts
 * if (err instanceof SqlPermissionDeniedError) throw new ForbiddenError('patient:write');
 * ```
 */
export class SqlPermissionDeniedError extends CarequeueError {
  constructor(options?: CarequeueErrorOptions) {
    super(
      'SQL_PERMISSION_DENIED',
      403,
      'The database refused the statement for the current role or row-level security policy.',
      options,
    );
  }
}

const TRANSIENT_SQLSTATE_CLASSES = ['08', '53', '57'];

/**
 * Any other database failure. The message carries only the SQLSTATE; the driver error is `cause`.
 *
 * @example
 * ```ts
 * if (err instanceof DatabaseError && err.transient) scheduleRetry();
 * ```
 */
export class DatabaseError extends ExternalServiceError {
  /** The SQLSTATE, when the failure came from the server. */
  readonly sqlState: string | undefined;

  constructor(sqlState: string | undefined, options?: CarequeueErrorOptions) {
    super(
      'postgres',
      sqlState
        ? `The database rejected the statement (SQLSTATE ${sqlState}).`
        : 'The database could not be reached or failed. Check the connection settings and that the server is up.',
      {
        ...options,
        code: 'DATABASE_ERROR',
        transient:
          sqlState === undefined || TRANSIENT_SQLSTATE_CLASSES.includes(sqlState.slice(0, 2)),
      },
    );
    this.sqlState = sqlState;
  }
}

/**
 * A migration file is misnamed, duplicated, or unreadable.
 *
 * @example
 * ```ts
 * if (err instanceof MigrationFileError) console.error(err.message);
 * ```
 */
export class MigrationFileError extends CarequeueError {
  constructor(message: string, options?: CarequeueErrorOptions) {
    super('MIGRATION_FILE_INVALID', 500, message, options);
  }
}

/**
 * An applied migration was edited: its file no longer matches the checksum recorded when it ran.
 *
 * @example
 * ```ts
 * if (err instanceof MigrationChecksumError) console.error(`${err.namespace}/${err.migration}`);
 * ```
 */
export class MigrationChecksumError extends CarequeueError {
  readonly namespace: string;
  /** File name of the edited migration. */
  readonly migration: string;

  constructor(namespace: string, migration: string) {
    super(
      'MIGRATION_CHECKSUM_MISMATCH',
      500,
      `Migration ${namespace}/${migration} was edited after it was applied. Restore the original file and put the change in a new migration.`,
    );
    this.namespace = namespace;
    this.migration = migration;
  }
}

/**
 * A migration failed while running; its transaction was rolled back.
 *
 * @example
 * ```ts
 * if (err instanceof MigrationFailedError) logger.error({ err: err.cause }, err.message);
 * ```
 */
export class MigrationFailedError extends CarequeueError {
  readonly namespace: string;
  readonly migration: string;

  constructor(namespace: string, migration: string, options?: CarequeueErrorOptions) {
    super(
      'MIGRATION_FAILED',
      500,
      `Migration ${namespace}/${migration} failed and was rolled back. See the cause, fix the file and start again.`,
      options,
    );
    this.namespace = namespace;
    this.migration = migration;
  }
}

/**
 * Maps a driver error to a CareQueue error: 23505, 23P01 and 23503 to conflicts, 40001/40P01 to
 * {@link TransactionConflictError}, 42501 to {@link SqlPermissionDeniedError}, anything else to
 * {@link DatabaseError}. CareQueue errors pass through. The driver error is kept as `cause`, never
 * in the message, because its detail can hold row values.
 *
 * @example
 * ```ts
 * try { await pool.query(text, params); } catch (error) { throw toSqlError(error); }
 * ```
 */
export function toSqlError(error: unknown): CarequeueError {
  if (error instanceof CarequeueError) return error;
  const sqlState = sqlStateOf(error);
  const options = { cause: error };
  switch (sqlState) {
    case '23505':
      return new UniqueViolationError(constraintOf(error), options);
    case '23P01':
      return new ExclusionViolationError(constraintOf(error), options);
    case '23503':
      return new ForeignKeyViolationError(constraintOf(error), options);
    case '40001':
    case '40P01':
      return new TransactionConflictError(options);
    case '42501':
      return new SqlPermissionDeniedError(options);
    default:
      return new DatabaseError(sqlState, options);
  }
}

/**
 * Every error class of `@carequeue/core/sql`, keyed by class name.
 *
 * @example
 * ```ts
 * if (err instanceof sqlErrors.ExclusionViolationError) suggestAnotherSlot();
 * ```
 */
export const sqlErrors = {
  UniqueViolationError,
  ExclusionViolationError,
  ForeignKeyViolationError,
  TransactionConflictError,
  SqlPermissionDeniedError,
  DatabaseError,
  MigrationFileError,
  MigrationChecksumError,
  MigrationFailedError,
} as const;
