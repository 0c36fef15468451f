/**
 * The exit codes of `carequeue-audit`, for schedulers and monitoring.
 *
 * - `0` OK: the chain verified, the report, export or retention run completed.
 * - `1` Verification failed: a chain break was found (or an archive failed its checks).
 * - `2` Usage: unknown command or option, a missing or malformed value.
 * - `3` Service unavailable: the database could not be reached or failed; retry later.
 * - `4` Refused: the request was refused on purpose, e.g. retention below the floor without an
 *   acknowledgement.
 *
 * @example
 * ```ts
 * if (result === AUDIT_CLI_EXIT.verificationFailed) page('audit chain broken');
 * ```
 */
export const AUDIT_CLI_EXIT = {
  ok: 0,
  verificationFailed: 1,
  usage: 2,
  unavailable: 3,
  refused: 4,
} as const;

/**
 * One of the {@link AUDIT_CLI_EXIT} codes.
 *
 * @example
 * ```ts
 * const code: AuditCliExitCode = AUDIT_CLI_EXIT.ok;
 * ```
 */
export type AuditCliExitCode = (typeof AUDIT_CLI_EXIT)[keyof typeof AUDIT_CLI_EXIT];
