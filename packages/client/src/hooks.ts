/**
 * What a request hook sees: one attempt, about to be sent. Headers may be changed.
 *
 * @example
 * ```ts
 * const onRequest = (context: RequestHookContext) => context.headers.set('x-client', 'kiosk/1.2');
 * ```
 */
export interface RequestHookContext {
  readonly method: string;
  readonly url: URL;
  /** The headers to send; a hook may add or change some (tracing, a client version). */
  readonly headers: Headers;
  /** 0 for the first attempt, then 1, 2, ... for retries. */
  readonly attempt: number;
}

/**
 * What a response hook sees: the answer to one attempt, before its body is read.
 *
 * @example
 * ```ts
 * const onResponse = ({ status, requestId }: ResponseHookContext) => console.info(status, requestId);
 * ```
 */
export interface ResponseHookContext {
  readonly method: string;
  readonly url: URL;
  readonly status: number;
  readonly headers: Headers;
  readonly attempt: number;
  /** The request id the server gave the answer, when it sent one. */
  readonly requestId?: string;
}

/**
 * Functions the transport calls around every attempt, for logging, metrics or extra headers.
 * An error thrown by a hook fails the call.
 *
 * @example
 * ```ts
 * const hooks: TransportHooks = {
 *   onRequest: ({ headers }) => headers.set('x-client', 'kiosk/1.2'),
 *   onResponse: ({ status, requestId }) => console.info(status, requestId),
 * };
 * ```
 */
export interface TransportHooks {
  onRequest?(context: RequestHookContext): void | Promise<void>;
  onResponse?(context: ResponseHookContext): void | Promise<void>;
}
