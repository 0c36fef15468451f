import { CarequeueError, type CarequeueErrorOptions, type ErrorIssue } from '@carequeue/core';

/**
 * Options of {@link ApiError}: what the API answered, when it is known.
 *
 * @example
 * ```ts
 * const options: ApiErrorOptions = { code: 'QUEUE_CLOSED', status: 409 };
 * throw new ApiError(options);
 * ```
 */
export interface ApiErrorOptions extends CarequeueErrorOptions {
  /** The `code` of the problem document; `API_ERROR` when the answer had none. */
  code?: string;
  /** The HTTP status of the answer; 500 when unknown. */
  status?: number;
  /** A message written by CareQueue (the server's `detail`), never the caller's input. */
  message?: string;
}

/**
 * The CareQueue API answered with an error that no more specific class of `@carequeue/core`
 * describes (an unknown `code`, or an answer that is not a problem document).
 *
 * @example
 * ```ts
 * import { ApiError, isCarequeueError } from '@carequeue/client';
 *
 * const err = new ApiError();
 * isCarequeueError(err); // true
 * err.code; // 'API_ERROR'
 * new ApiError({ code: 'QUEUE_CLOSED', status: 409 }).status; // 409
 * ```
 */
export class ApiError extends CarequeueError {
  constructor(options: ApiErrorOptions = {}) {
    super(
      options.code ?? 'API_ERROR',
      options.status ?? 500,
      options.message ?? 'The CareQueue API answered with an error.',
      options,
    );
  }
}

/**
 * An option given to a client factory is invalid. The message names the option and never
 * quotes its value.
 *
 * @example
 * ```ts
 * import { ClientConfigError } from '@carequeue/client';
 *
 * const err = new ClientConfigError('timeoutMs must be a positive number.');
 * err.code; // 'CLIENT_CONFIG_INVALID'
 * ```
 */
export class ClientConfigError extends CarequeueError {
  constructor(problem: string, options?: CarequeueErrorOptions) {
    super('CLIENT_CONFIG_INVALID', 500, `Invalid client configuration: ${problem}`, options);
  }
}

/**
 * An answer of the CareQueue API did not match the contract's schema of that operation (thrown
 * only with response validation on). Its issues name fields, never values.
 *
 * @example
 * ```ts
 * import { ResponseValidationError } from '@carequeue/client';
 *
 * const err = new ResponseValidationError('getClinic', [{ path: 'timeZone', message: 'Required' }]);
 * err.code; // 'RESPONSE_INVALID'
 * ```
 */
export class ResponseValidationError extends CarequeueError {
  /** The fields that did not match. */
  readonly issues: readonly ErrorIssue[];

  constructor(operationId: string, issues: readonly ErrorIssue[], options?: CarequeueErrorOptions) {
    super(
      'RESPONSE_INVALID',
      502,
      `The answer to ${operationId} does not match the contract; update @carequeue/client or the server.`,
      options,
    );
    this.issues = issues;
  }
}

/**
 * Every error class of `@carequeue/client`, keyed by class name.
 *
 * @example
 * ```ts
 * if (err instanceof errors.ApiError) console.warn(err.code);
 * ```
 */
export const errors = { ApiError, ClientConfigError, ResponseValidationError } as const;
