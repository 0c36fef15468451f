import { ExternalServiceError, type CarequeueErrorOptions } from '@carequeue/core';

/**
 * Why a call to the wait-time model failed: it could not be reached, it answered with a non-2xx
 * status, or its answer was not the expected JSON.
 *
 * @example
 * ```ts
 * const code: WaitTimeModelErrorCode = 'WAIT_TIME_MODEL_BAD_STATUS';
 * ```
 */
export type WaitTimeModelErrorCode =
  'WAIT_TIME_MODEL_UNREACHABLE' | 'WAIT_TIME_MODEL_BAD_STATUS' | 'WAIT_TIME_MODEL_INVALID_RESPONSE';

const MESSAGES: Readonly<Record<WaitTimeModelErrorCode, string>> = {
  WAIT_TIME_MODEL_UNREACHABLE:
    'The wait-time model could not be reached. The rule estimate is used until it answers again.',
  WAIT_TIME_MODEL_BAD_STATUS:
    'The wait-time model answered with an error status. Check the service; the rule estimate is used meanwhile.',
  WAIT_TIME_MODEL_INVALID_RESPONSE:
    'The wait-time model answered with a body that is not a valid prediction. Check its response format.',
};

/**
 * A call to the external wait-time model failed. The message never carries the request or the
 * response body; the HTTP status, when there was one, is in `upstreamStatus`.
 *
 * @example
 * ```ts
 * import { WaitTimeModelError } from '@carequeue/queue';
 *
 * const err = new WaitTimeModelError('WAIT_TIME_MODEL_BAD_STATUS', { upstreamStatus: 503 });
 * err.code; // 'WAIT_TIME_MODEL_BAD_STATUS'
 * err.transient; // true
 * ```
 */
export class WaitTimeModelError extends ExternalServiceError {
  override readonly code: WaitTimeModelErrorCode;
  /** The status the model answered with, for `WAIT_TIME_MODEL_BAD_STATUS`. */
  readonly upstreamStatus: number | undefined;

  constructor(
    code: WaitTimeModelErrorCode,
    options?: CarequeueErrorOptions & { upstreamStatus?: number },
  ) {
    const status = options?.upstreamStatus;
    // A 4xx other than 408/429 means our request is wrong, which retrying will not fix.
    const transient = status === undefined || status >= 500 || status === 408 || status === 429;
    super('wait-time-model', MESSAGES[code], { ...options, code, transient });
    this.code = code;
    this.upstreamStatus = status;
  }
}
