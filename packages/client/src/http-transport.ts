import {
  abortReason,
  ExternalServiceError,
  sleep,
  systemClock,
  TimeoutError,
  ValidationError,
  type Clock,
} from '@carequeue/core';
import {
  isObject,
  isOptionalFunction,
  isOptionalHeaders,
  isOptionalSignal,
  requireArgument,
  requireOption,
} from './argument-checks.js';
import { backoffDelayMs, type BackoffOptions } from './backoff.js';
import { ApiError, ClientConfigError } from './errors.js';
import type { TransportHooks } from './hooks.js';
import { newIdempotencyKey } from './idempotency-key.js';
import { requestUrl, type QueryParams } from './request-url.js';
import { errorFromResponse, type ClientError } from './response-error.js';
import { parseRetryAfter } from './retry-after.js';

/**
 * An HTTP method the API uses.
 *
 * @example
 * ```ts
 * const method: HttpMethod = 'POST';
 * ```
 */
export type HttpMethod = 'GET' | 'HEAD' | 'OPTIONS' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * When and how the transport retries a failed attempt.
 *
 * @example
 * ```ts
 * const retries: RetryOptions = { maxRetries: 4, baseDelayMs: 200, maxRetryAfterMs: 30_000 };
 * ```
 */
export interface RetryOptions extends BackoffOptions {
  /** Retries after the first attempt. Default 2; 0 turns retries off. */
  maxRetries?: number;
  /** A `Retry-After` longer than this is not waited: the error is thrown. Default 60000. */
  maxRetryAfterMs?: number;
}

/**
 * Options of {@link httpTransport}.
 *
 * @example
 * ```ts
 * const options: HttpTransportOptions = { baseUrl: 'https://clinic.example', timeoutMs: 10_000, retries: 3 };
 * ```
 */
export interface HttpTransportOptions {
  /** The API's base URL; operation paths (`/api/v1/...`) are appended to its path. */
  baseUrl: string | URL;
  /** Returns the access token sent as `Authorization: Bearer <token>`, called per attempt. */
  getToken?: () => string | null | undefined | Promise<string | null | undefined>;
  /** The fetch to use; `globalThis.fetch` by default. */
  fetch?: typeof globalThis.fetch;
  /** Time budget of one attempt, until its body is read, in milliseconds. Default 30000. */
  timeoutMs?: number;
  /** Retries: a number of retries, or the full options. */
  retries?: number | RetryOptions;
  /** Functions called around every attempt. */
  hooks?: TransportHooks;
  /** Time for back-off waits, time-outs and `Retry-After` dates; `systemClock` by default. */
  clock?: Clock;
  /** Numbers in [0, 1) for the back-off jitter; `Math.random` by default. */
  random?: () => number;
  /** Makes the `Idempotency-Key` of a POST or PATCH call; a random UUID by default. */
  newIdempotencyKey?: () => string;
}

/**
 * One logical call of {@link HttpTransport.request}.
 *
 * @example
 * ```ts
 * const call: TransportRequest = { method: 'POST', path: '/api/v1/holds', body: { slotId }, signal };
 * ```
 */
export interface TransportRequest {
  method: HttpMethod;
  /** The operation path, such as `/api/v1/clinics/cln_1`. */
  path: string;
  query?: QueryParams;
  /** The JSON body. */
  body?: unknown;
  headers?: Readonly<Record<string, string>>;
  /** Cancels the call, including a back-off wait. The call then rejects with its reason. */
  signal?: AbortSignal;
  /** The `Idempotency-Key` of a POST or PATCH; one is generated per call when absent. */
  idempotencyKey?: string;
}

/**
 * The successful answer to a call.
 *
 * @example
 * ```ts
 * const { body, requestId }: TransportResponse<Clinic> = await transport.request({ method: 'GET', path });
 * ```
 */
export interface TransportResponse<T = unknown> {
  readonly status: number;
  readonly headers: Headers;
  /** The parsed JSON body, the text of a non-JSON body, or `undefined` when empty. */
  readonly body: T;
  /** The request id the server gave the answer, when it sent one. */
  readonly requestId?: string;
}

/**
 * A call that opens a stream: one attempt, no retries (the subscription reconnects).
 *
 * @example
 * ```ts
 * const response = await transport.openStream({ path: '/api/v1/events', headers: { 'last-event-id': '42' } });
 * ```
 */
export interface StreamRequest {
  path: string;
  query?: QueryParams;
  headers?: Readonly<Record<string, string>>;
  signal?: AbortSignal;
}

/**
 * The HTTP layer of the client, below the typed operations.
 *
 * @example
 * ```ts
 * const transport: HttpTransport = httpTransport({ baseUrl: 'https://clinic.example' });
 * ```
 */
export interface HttpTransport {
  /** Sends a call, retrying as configured, and resolves with the successful answer. */
  request<T = unknown>(request: TransportRequest): Promise<TransportResponse<T>>;
  /** Opens a `text/event-stream` answer; the time-out covers the headers only. */
  openStream(request: StreamRequest): Promise<Response>;
}

type Outcome =
  | { readonly ok: true; readonly response: Response; readonly body: unknown }
  | { readonly ok: false; readonly error: ClientError; readonly retryable: boolean };

const IDEMPOTENT = new Set<string>(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
const METHODS = new Set<string>([...IDEMPOTENT, 'POST', 'PATCH']);
const RETRIED_STATUSES = new Set([429, 502, 503, 504]);

function requestIdOf(headers: Headers): string | undefined {
  return headers.get('x-request-id') ?? headers.get('request-id') ?? undefined;
}

function positive(value: number | undefined, fallback: number, name: string, zeroOk = false) {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (!zeroOk && v === 0)) {
    throw new ClientConfigError(
      `${name} must be a ${zeroOk ? 'non-negative' : 'positive'} number.`,
    );
  }
  return v;
}

function checkOptions(options: HttpTransportOptions): void {
  requireOption(isObject(options), 'the options must be an object.');
  requireOption(isOptionalFunction(options.getToken), 'getToken must be a function.');
  requireOption(
    options.fetch === undefined
      ? typeof globalThis.fetch === 'function'
      : typeof options.fetch === 'function',
    'fetch must be a function (pass one where globalThis.fetch is missing).',
  );
  requireOption(
    options.retries === undefined ||
      typeof options.retries === 'number' ||
      isObject(options.retries),
    'retries must be a number or an object.',
  );
  const hooks: unknown = options.hooks;
  requireOption(
    hooks === undefined ||
      (isObject(hooks) &&
        isOptionalFunction(hooks['onRequest']) &&
        isOptionalFunction(hooks['onResponse'])),
    'hooks must be an object of functions.',
  );
  const clock: unknown = options.clock;
  requireOption(
    clock === undefined ||
      (isObject(clock) &&
        typeof clock['now'] === 'function' &&
        typeof clock['setTimeout'] === 'function' &&
        typeof clock['clearTimeout'] === 'function'),
    'clock must be a Clock.',
  );
  requireOption(isOptionalFunction(options.random), 'random must be a function.');
  requireOption(
    isOptionalFunction(options.newIdempotencyKey),
    'newIdempotencyKey must be a function.',
  );
}

function checkCall(request: TransportRequest | StreamRequest): void {
  requireArgument(isObject(request), 'request', 'must be an object');
  requireArgument(isOptionalHeaders(request.headers), 'headers', 'must be an object of strings');
  requireArgument(isOptionalSignal(request.signal), 'signal', 'must be an AbortSignal');
  requireArgument(
    request.query === undefined || isObject(request.query),
    'query',
    'must be an object',
  );
}

function parseBaseUrl(value: string | URL): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch (error) {
    throw new ClientConfigError('baseUrl must be an absolute http or https URL.', { cause: error });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ClientConfigError('baseUrl must be an absolute http or https URL.');
  }
  return url;
}

function jsonBody(body: unknown): string | undefined {
  if (body === undefined) return undefined;
  try {
    return JSON.stringify(body);
  } catch (error) {
    throw new ValidationError(
      'The request body cannot be sent as JSON.',
      [{ path: 'body', message: 'must be JSON-serializable' }],
      { cause: error },
    );
  }
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  if (!/json/i.test(response.headers.get('content-type') ?? '')) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    if (!response.ok) return undefined;
    throw new ApiError({
      code: 'INVALID_RESPONSE',
      status: 502,
      message: 'The CareQueue API answered with a body that is not valid JSON.',
      cause: error,
    });
  }
}

/**
 * Creates the HTTP transport of the client: base URL, bearer token, time-out composed with the
 * caller's `AbortSignal`, problem+json answers thrown as `CarequeueError` subclasses with
 * `requestId` and `retryAfterMs`, and retries.
 *
 * Retries: network errors, time-outs and 502/503/504 wait a full-jitter exponential back-off;
 * 429 and 503 wait their `Retry-After` (seconds or an HTTP date) when they send one. GET, HEAD,
 * OPTIONS, PUT and DELETE retry as they are; a POST or PATCH retries with one
 * `Idempotency-Key` generated per call (or given) and sent on every attempt, so the server
 * runs it once. Aborting the signal cancels the attempt or the back-off wait.
 *
 * @param options - the base URL, token source and policies.
 * @returns the transport.
 * @throws ClientConfigError when an option is invalid.
 * @example
 * ```ts
 * const transport = httpTransport({
 *   baseUrl: 'https://clinic.example',
 *   getToken: () => session.accessToken,
 *   timeoutMs: 10_000,
 *   retries: { maxRetries: 3 },
 * });
 * const { body } = await transport.request({ method: 'GET', path: '/api/v1/clinics', query: { limit: 20 } });
 * ```
 */
export function httpTransport(options: HttpTransportOptions): HttpTransport {
  checkOptions(options);
  const baseUrl = parseBaseUrl(options.baseUrl);
  const timeoutMs = positive(options.timeoutMs, 30_000, 'timeoutMs');
  const retryOptions: RetryOptions =
    typeof options.retries === 'number' ? { maxRetries: options.retries } : (options.retries ?? {});
  const maxRetries = positive(retryOptions.maxRetries, 2, 'retries.maxRetries', true);
  if (!Number.isInteger(maxRetries))
    throw new ClientConfigError('retries.maxRetries must be an integer.');
  const maxRetryAfterMs = positive(
    retryOptions.maxRetryAfterMs,
    60_000,
    'retries.maxRetryAfterMs',
    true,
  );
  const backoff: BackoffOptions = {
    baseDelayMs: positive(retryOptions.baseDelayMs, 250, 'retries.baseDelayMs'),
    maxDelayMs: positive(retryOptions.maxDelayMs, 10_000, 'retries.maxDelayMs'),
  };
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const makeKey = options.newIdempotencyKey ?? newIdempotencyKey;
  const hooks = options.hooks ?? {};

  async function headersFor(
    extra: Readonly<Record<string, string>> | undefined,
    accept: string,
  ): Promise<Headers> {
    const headers = new Headers(extra);
    if (!headers.has('accept')) headers.set('accept', accept);
    const token = await options.getToken?.();
    if (token) headers.set('authorization', `Bearer ${token}`);
    return headers;
  }

  /** One attempt; the time-out covers the headers, and the body too unless `stream`. */
  async function attempt(
    method: string,
    url: URL,
    headers: Headers,
    body: string | undefined,
    attemptNumber: number,
    signal: AbortSignal | undefined,
    stream: boolean,
  ): Promise<Outcome> {
    await hooks.onRequest?.({ method, url, headers, attempt: attemptNumber });
    const timeout = new AbortController();
    const timeoutError = new TimeoutError('The CareQueue API request', timeoutMs);
    const timer = clock.setTimeout(() => timeout.abort(timeoutError), timeoutMs);
    const composed =
      signal === undefined ? timeout.signal : AbortSignal.any([signal, timeout.signal]);
    const failure = (error: unknown): Outcome => {
      if (signal?.aborted) throw abortReason(signal);
      if (timeout.signal.aborted) return { ok: false, error: timeoutError, retryable: true };
      if (error instanceof ApiError) return { ok: false, error, retryable: false };
      const unreachable = new ExternalServiceError(
        'carequeue-api',
        'The CareQueue API could not be reached.',
        { cause: error, code: 'API_UNREACHABLE' },
      );
      return { ok: false, error: unreachable, retryable: true };
    };
    try {
      let response: Response;
      try {
        response = await fetchImpl(url, { method, headers, body, signal: composed });
      } catch (error) {
        return failure(error);
      }
      const requestId = requestIdOf(response.headers);
      // Outside the failure handling: an error thrown by a hook fails the call, unretried.
      await hooks.onResponse?.({
        method,
        url,
        status: response.status,
        headers: response.headers,
        attempt: attemptNumber,
        ...(requestId === undefined ? {} : { requestId }),
      });
      if (response.ok && stream) return { ok: true, response, body: undefined };
      let parsed: unknown;
      try {
        parsed = await readBody(response);
      } catch (error) {
        return failure(error);
      }
      if (response.ok) return { ok: true, response, body: parsed };
      const error = errorFromResponse(response.status, parsed, {
        requestId,
        retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), clock.now()),
      });
      return { ok: false, error, retryable: RETRIED_STATUSES.has(response.status) };
    } finally {
      clock.clearTimeout(timer);
    }
  }

  function retryDelay(error: ClientError, retryNumber: number): number | undefined {
    const told = error.status === 429 || error.status === 503 ? error.retryAfterMs : undefined;
    if (told !== undefined) return told <= maxRetryAfterMs ? told : undefined;
    return backoffDelayMs(retryNumber, backoff, random);
  }

  return {
    async request<T>(request: TransportRequest): Promise<TransportResponse<T>> {
      checkCall(request);
      requireArgument(METHODS.has(request.method), 'method', 'must be an HTTP method the API uses');
      requireArgument(
        request.idempotencyKey === undefined ||
          (typeof request.idempotencyKey === 'string' &&
            /^[\x21-\x7e]{1,255}$/.test(request.idempotencyKey)),
        'idempotencyKey',
        'must be 1 to 255 visible ASCII characters',
      );
      const url = requestUrl(baseUrl, request.path, request.query);
      const body = jsonBody(request.body);
      const idempotencyKey = IDEMPOTENT.has(request.method)
        ? request.idempotencyKey
        : (request.idempotencyKey ?? makeKey());
      for (let retryNumber = 0; ; retryNumber += 1) {
        if (request.signal?.aborted) throw abortReason(request.signal);
        const headers = await headersFor(
          request.headers,
          'application/json, application/problem+json',
        );
        if (body !== undefined) headers.set('content-type', 'application/json');
        if (idempotencyKey !== undefined) headers.set('idempotency-key', idempotencyKey);
        const outcome = await attempt(
          request.method,
          url,
          headers,
          body,
          retryNumber,
          request.signal,
          false,
        );
        if (outcome.ok) {
          const requestId = requestIdOf(outcome.response.headers);
          return {
            status: outcome.response.status,
            headers: outcome.response.headers,
            body: outcome.body as T,
            ...(requestId === undefined ? {} : { requestId }),
          };
        }
        const delay =
          outcome.retryable && retryNumber < maxRetries
            ? retryDelay(outcome.error, retryNumber)
            : undefined;
        if (delay === undefined) throw outcome.error;
        await sleep(clock, delay, request.signal);
      }
    },

    async openStream(request: StreamRequest): Promise<Response> {
      checkCall(request);
      const url = requestUrl(baseUrl, request.path, request.query);
      if (request.signal?.aborted) throw abortReason(request.signal);
      const headers = await headersFor(request.headers, 'text/event-stream');
      const outcome = await attempt('GET', url, headers, undefined, 0, request.signal, true);
      if (!outcome.ok) throw outcome.error;
      return outcome.response;
    },
  };
}
