/**
 * Safe serialization of thrown values for logs.
 *
 * Policy: a CareQueue error is written through its `toJSON()` (its message is written by
 * CareQueue and carries no input values). A foreign error's message is replaced by
 * `[REDACTED]` unless the logger is told otherwise, because driver and library messages often
 * quote the offending data (a Postgres unique-violation detail names the duplicate email). Its
 * name, a short machine code (`23505`, `ECONNREFUSED`) and the stack frames, without the
 * message line, are kept. `cause` chains and `AggregateError.errors` are followed, and every
 * value found along them goes through the same redaction as log fields.
 *
 * @packageDocumentation
 */
import { isCarequeueError } from '../errors.js';

/** Placeholder written instead of a redacted value. */
export const REDACTED = '[REDACTED]';

const SAFE_NAME = /^[A-Za-z_$][\w$]{0,63}$/;
const SAFE_CODE = /^[A-Za-z0-9_.-]{1,64}$/;

/** How nested values found on errors are redacted. */
export type RedactNested = (value: unknown) => unknown;

/** Options of {@link serializeError}. */
export interface SerializeErrorOptions {
  /**
   * Keep the messages of foreign (non-CareQueue) errors. Only for local development: such
   * messages may contain patient data.
   *
   * @default false
   */
  readonly includeForeignErrorMessages?: boolean;
}

function stackFrames(stack: unknown): string[] | undefined {
  if (typeof stack !== 'string') return undefined;
  const frames = stack
    .split('\n')
    .filter((line) => /^\s+at\s/.test(line))
    .map((line) => line.trim());
  return frames.length === 0 ? undefined : frames;
}

/**
 * Turns an error into a plain object that is safe to log, following the policy above.
 *
 * @example
 * ```ts
 * serializeError(new Error('duplicate jane@example.com'), redact);
 * // { name: 'Error', message: '[REDACTED]', stack: ['at ...'] }
 * ```
 */
export function serializeError(
  error: Error,
  redactNested: RedactNested,
  options: SerializeErrorOptions = {},
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (isCarequeueError(error)) {
    Object.assign(out, error.toJSON());
  } else {
    out['name'] = SAFE_NAME.test(error.name) ? error.name : 'Error';
    const code: unknown = (error as { code?: unknown }).code;
    if ((typeof code === 'string' && SAFE_CODE.test(code)) || typeof code === 'number') {
      out['code'] = code;
    }
    out['message'] = options.includeForeignErrorMessages === true ? error.message : REDACTED;
  }
  const frames = stackFrames(error.stack);
  if (frames !== undefined) out['stack'] = frames;
  if (error instanceof AggregateError) {
    out['errors'] = redactNested(error.errors);
  }
  if (error.cause !== undefined) out['cause'] = redactNested(error.cause);
  return out;
}
