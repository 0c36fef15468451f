/**
 * Correlation ids tie together the log lines, spans, audit records and error responses of one
 * request. A caller may send one; anything that does not look like an id is replaced.
 *
 * @packageDocumentation
 */
import { systemIdGenerator, type IdGenerator } from '../id-generator.js';

/**
 * The HTTP header that carries the correlation id, in and out.
 *
 * @example
 * ```ts
 * reply.header(CORRELATION_ID_HEADER, context.correlationId);
 * ```
 */
export const CORRELATION_ID_HEADER = 'x-correlation-id';

/**
 * The longest correlation id accepted from a caller.
 *
 * @example
 * ```ts
 * 'a'.repeat(CORRELATION_ID_MAX_LENGTH + 1); // refused by isValidCorrelationId
 * ```
 */
export const CORRELATION_ID_MAX_LENGTH = 128;

const CORRELATION_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;

/**
 * Whether a caller-supplied correlation id is safe to adopt: 1 to 128 letters, digits, `.`, `_`,
 * `:` or `-`, so it cannot inject log lines or header values.
 *
 * @example
 * ```ts
 * isValidCorrelationId('req-42'); // true
 * isValidCorrelationId('a\nb'); // false
 * ```
 */
export function isValidCorrelationId(value: string): boolean {
  return value.length <= CORRELATION_ID_MAX_LENGTH && CORRELATION_ID_PATTERN.test(value);
}

/**
 * The correlation id for a request: the caller's header value when it is valid, otherwise a new
 * UUIDv7. Only the first value of a repeated header is considered.
 *
 * @example
 * ```ts
 * const correlationId = correlationIdFrom(request.headers[CORRELATION_ID_HEADER]);
 * ```
 */
export function correlationIdFrom(
  header: string | readonly string[] | undefined,
  ids: IdGenerator = systemIdGenerator,
): string {
  const candidate: unknown = typeof header === 'string' ? header : header?.[0];
  // A header value is untrusted transport data: anything but a string is treated as absent.
  const trimmed = typeof candidate === 'string' ? candidate.trim() : undefined;
  return trimmed !== undefined && isValidCorrelationId(trimmed) ? trimmed : ids.next();
}
