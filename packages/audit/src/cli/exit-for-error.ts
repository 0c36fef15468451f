import { isCarequeueError } from '@carequeue/core';
import { sqlStateOf } from '@carequeue/core/sql';
import { AUDIT_CLI_EXIT, type AuditCliExitCode } from './exit-codes.js';

// Connection exception (08), invalid authorization (28), operator intervention (57: admin
// shutdown, cannot connect now, and 57014 query_canceled, which is how a statement timeout ends),
// and 3D000 (the database named in the URL does not exist, refused at connection time).
const UNREACHABLE_SQLSTATE_CLASSES = ['08', '28', '57'];
const UNREACHABLE_SQLSTATES = ['3D000'];
const UNREACHABLE_SYSTEM_CODES = [
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
];
// pg reports its own timeouts and dropped connections as plain Errors without a code.
const UNREACHABLE_DRIVER_MESSAGES = /timeout|Connection terminated/i;

function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current = error;
  while (current !== undefined && current !== null && !chain.includes(current)) {
    chain.push(current);
    current = current instanceof Error ? current.cause : undefined;
  }
  return chain;
}

function isUnreachableCause(error: unknown): boolean {
  const code: unknown =
    typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  // Checked first: EPIPE has the shape of a SQLSTATE.
  if (typeof code === 'string' && UNREACHABLE_SYSTEM_CODES.includes(code)) return true;
  const sqlState = sqlStateOf(error);
  if (sqlState !== undefined) {
    return (
      UNREACHABLE_SQLSTATE_CLASSES.includes(sqlState.slice(0, 2)) ||
      UNREACHABLE_SQLSTATES.includes(sqlState)
    );
  }
  if (isCarequeueError(error) || typeof code === 'string') return false;
  return error instanceof Error && UNREACHABLE_DRIVER_MESSAGES.test(error.message);
}

/**
 * Whether an error thrown while talking to the database means it could not be reached
 * (connection refused or dropped, authentication failed, timed out), looking through `cause`s.
 * Any other database failure, such as a missing table, is not a reachability problem.
 *
 * @example
 * ```ts
 * isDatabaseUnreachable(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })); // true
 * isDatabaseUnreachable(Object.assign(new Error('no table'), { code: '42P01' })); // false
 * ```
 */
export function isDatabaseUnreachable(error: unknown): boolean {
  return causes(error).some(isUnreachableCause);
}

/**
 * The SQLSTATE anywhere in an error's `cause` chain, to name in a message (it is a code, never a
 * value from a row).
 *
 * @example
 * ```ts
 * sqlStateInChain(new AuditStoreError('postgres', 'verify', { cause: pgError })); // '42P01'
 * ```
 */
export function sqlStateInChain(error: unknown): string | undefined {
  for (const cause of causes(error)) {
    const sqlState = sqlStateOf(cause);
    if (sqlState !== undefined && !UNREACHABLE_SYSTEM_CODES.includes(sqlState)) return sqlState;
  }
  return undefined;
}

/**
 * The exit code for an error a command failed with after the command line was accepted and the
 * database connected: `3` only when the database became unreachable, `7` for anything else the
 * caller has not mapped to a more specific code.
 *
 * @example
 * ```ts
 * return exitForFailure(error); // AUDIT_CLI_EXIT.unavailable or AUDIT_CLI_EXIT.failed
 * ```
 */
export function exitForFailure(error: unknown): AuditCliExitCode {
  return isDatabaseUnreachable(error) ? AUDIT_CLI_EXIT.unavailable : AUDIT_CLI_EXIT.failed;
}
