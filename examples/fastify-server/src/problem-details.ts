import { STATUS_CODES } from 'node:http';
import type { FastifyReply } from 'fastify';

/** The media type of an RFC 9457 problem document. */
export const PROBLEM_JSON_MEDIA_TYPE = 'application/problem+json';

/**
 * An RFC 9457 problem document as this server sends it. It has no `detail` or `instance`: both
 * would describe the request, and the URL and body of a clinic API carry patient data.
 */
export interface ProblemDetails {
  /** Always `about:blank`: the status code says all the server means. */
  readonly type: 'about:blank';
  /** The standard phrase of `status`, such as `Not Found`. */
  readonly title: string;
  /** The HTTP status code of the response. */
  readonly status: number;
  /** A machine-readable reason such as `FST_ERR_CTP_INVALID_JSON_BODY`, when one is known. */
  readonly code?: string;
}

// Only codes shaped like Fastify's and CareQueue's constants pass, so a library that puts input
// into `code` cannot smuggle it into the body.
const SAFE_CODE = /^[A-Z][A-Z0-9_]{0,63}$/;

/**
 * Builds the problem document for a status code, with the standard phrase as title.
 *
 * @param status - an HTTP status code from 400 to 599.
 * @param code - a machine-readable reason; dropped unless it is a SCREAMING_SNAKE constant.
 * @returns the document to send as `application/problem+json`.
 * @example
 * ```ts
 * problemDetails(404); // { type: 'about:blank', title: 'Not Found', status: 404 }
 * ```
 */
export function problemDetails(status: number, code?: unknown): ProblemDetails {
  const title = STATUS_CODES[status] ?? 'Error';
  return typeof code === 'string' && SAFE_CODE.test(code)
    ? { type: 'about:blank', title, status, code }
    : { type: 'about:blank', title, status };
}

/**
 * The status code to answer for a thrown value: its own `statusCode` when that is a client or
 * server error, else 500.
 *
 * @param error - anything a route, hook or Fastify itself threw.
 * @returns a status code from 400 to 599.
 * @example
 * ```ts
 * errorStatus(Object.assign(new Error('too large'), { statusCode: 413 })); // 413
 * errorStatus(new Error('bug')); // 500
 * ```
 */
export function errorStatus(error: unknown): number {
  const status: unknown =
    typeof error === 'object' && error !== null
      ? (error as { statusCode?: unknown }).statusCode
      : undefined;
  return typeof status === 'number' && Number.isInteger(status) && status >= 400 && status < 600
    ? status
    : 500;
}

/**
 * Sends a problem document with `cache-control: no-store`, so no cache keeps an error answer.
 *
 * @param reply - the reply to send on.
 * @param status - an HTTP status code from 400 to 599.
 * @param code - a machine-readable reason, see {@link problemDetails}.
 * @returns the reply, for Fastify's async handlers to return.
 * @example
 * ```ts
 * app.setNotFoundHandler((request, reply) => sendProblem(reply, 404));
 * ```
 */
export function sendProblem(reply: FastifyReply, status: number, code?: unknown): FastifyReply {
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .type(PROBLEM_JSON_MEDIA_TYPE)
    .send(problemDetails(status, code));
}
