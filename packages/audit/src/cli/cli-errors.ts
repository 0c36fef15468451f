import { CarequeueError, type CarequeueErrorOptions } from '@carequeue/core';

/**
 * The command line was wrong: an unknown command, a missing option, a malformed or inapplicable
 * value. The message names the option and the expected form, never the value given, because a
 * mistyped value can be anything (a patient's name pasted into the wrong option).
 *
 * @example
 * ```ts
 * throw new AuditCliUsageError('--tenant must be a UUID.');
 * ```
 */
export class AuditCliUsageError extends CarequeueError {
  constructor(message: string, options?: CarequeueErrorOptions) {
    super('AUDIT_CLI_USAGE', 400, message, options);
  }
}

/**
 * The tenant has no audit trail at all: no sealed chain and no event. Verifying it would report
 * an empty, "valid" chain, which hides a mistyped tenant id or a trail written elsewhere.
 *
 * @example
 * ```ts
 * new AuditCliUnknownTenantError().code; // 'AUDIT_CLI_UNKNOWN_TENANT'
 * ```
 */
export class AuditCliUnknownTenantError extends CarequeueError {
  constructor(options?: CarequeueErrorOptions) {
    super(
      'AUDIT_CLI_UNKNOWN_TENANT',
      404,
      'No audit trail exists for this tenant in this database: it has no chain and no events. Check --tenant and --database-url.',
      options,
    );
  }
}

/**
 * An output of the command (`--out` or `--archive-dir`) cannot be written. The message names the
 * option, not the path, since file names of reports often carry patient or staff names.
 *
 * @example
 * ```ts
 * new AuditCliOutputError('--out').code; // 'AUDIT_CLI_OUTPUT_FAILED'
 * ```
 */
export class AuditCliOutputError extends CarequeueError {
  /** The option whose path could not be written, e.g. `--out`. */
  readonly option: string;

  constructor(option: '--out' | '--archive-dir', options?: CarequeueErrorOptions) {
    super(
      'AUDIT_CLI_OUTPUT_FAILED',
      500,
      option === '--out'
        ? '--out cannot be written: its folder must exist and be writable, and the path must not be a folder. Pass another --out, or omit it to write to stdout.'
        : '--archive-dir cannot be written: it (or the folder it will be created in) must be a writable folder. Pass another --archive-dir.',
      options,
    );
    this.option = option;
  }
}
