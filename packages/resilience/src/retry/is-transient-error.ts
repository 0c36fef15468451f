import { isCarequeueError } from '@carequeue/core';

const TRANSIENT_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

const TRANSIENT_CODES = new Set(['RATE_LIMITED', 'TIMEOUT']);

// Load shedding by our own policies: retrying them would only add load to what is protecting
// the dependency.
const SHEDDING_CODES = new Set(['CIRCUIT_OPEN', 'BULKHEAD_REJECTED', 'RETRY_BUDGET_EXHAUSTED']);

function isTransientStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status !== 501);
}

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)[name]
    : undefined;
}

/**
 * Whether retrying a failure may succeed: network errors, timeouts, 429 and 5xx (other than 501).
 * Validation, authorization, not-found and conflict errors, rejections by an open breaker, a full
 * bulkhead or a spent retry budget, aborts by the caller and unknown errors are not transient.
 *
 * @example
 * ```ts
 * isTransientError(new RateLimitedError(1000)); // true
 * isTransientError(new ConflictError('The slot was taken.')); // false
 * ```
 */
export function isTransientError(error: unknown): boolean {
  if (isCarequeueError(error)) {
    if (error.code === 'EXTERNAL_SERVICE_FAILED' || field(error, 'transient') !== undefined) {
      return field(error, 'transient') !== false;
    }
    if (TRANSIENT_CODES.has(error.code)) return true;
    if (SHEDDING_CODES.has(error.code)) return false;
    // Other CareQueue codes are judged by status, so 409/4xx (conflict, validation, auth) never retry.
    return error.status !== 500 && isTransientStatus(error.status);
  }
  if (!(error instanceof Error)) return false;
  if (error.name === 'AbortError') return false;
  if (error.name === 'TimeoutError') return true;
  const status = field(error, 'status') ?? field(error, 'statusCode');
  if (typeof status === 'number') return isTransientStatus(status);
  const code = field(error, 'code') ?? field(error.cause, 'code');
  return typeof code === 'string' && TRANSIENT_NETWORK_CODES.has(code);
}
