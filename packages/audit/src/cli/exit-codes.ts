/**
 * The exit codes of `carequeue-audit`, for schedulers and monitoring. Each code has one meaning,
 * so a scheduler can page on `1`, retry on `3` and send the rest to whoever configured the job.
 *
 * - `0` OK: the chain verified, the report, export or retention run completed.
 * - `1` Verification failed: a chain break was found, a checkpoint did not verify with its public
 *   key, or an archive failed its checks. Treat as possible tampering.
 * - `2` Usage: unknown command or option, an option the command does not use, a missing,
 *   malformed or unreadable value. Found before any connection is opened; fix the command line.
 * - `3` Database unreachable: the connection was refused, authentication failed or it timed out.
 *   Only this code is worth retrying unchanged.
 * - `4` Refused: the request was refused on purpose, e.g. retention below the floor without an
 *   acknowledgement.
 * - `5` Unknown tenant: no audit trail exists for the tenant (no chain and no events) in that
 *   database; `verify`, `report`, `export` and an acknowledged `retention` all check it first. Not `1`, since nothing was broken, and not `2`, since the id is well-formed and the
 *   same command succeeds once the tenant writes its first event. Check `--tenant` and the
 *   database.
 * - `6` Output failed: `--out` or `--archive-dir` cannot be written (checked before connecting
 *   where possible, and reported the same way when a write fails later).
 * - `7` Failed: the database was reached but the command failed (e.g. the audit migrations have
 *   not run), or an unexpected error. Retrying unchanged will not help; read the message.
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
  unknownTenant: 5,
  outputFailed: 6,
  failed: 7,
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
