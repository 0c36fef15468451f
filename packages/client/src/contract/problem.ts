import { z } from 'zod';

/**
 * One field the server refused, by path; the message never quotes the value sent.
 *
 * @example
 * ```ts
 * ProblemIssue.parse({ path: 'body.start', message: 'must be an ISO 8601 date-time' });
 * ```
 */
export const ProblemIssue = z.object({ path: z.string(), message: z.string() });

/**
 * The one error envelope of every `/api/v1` operation, sent as `application/problem+json`
 * (RFC 9457) with a stable `code` and the request id to quote when reporting a problem. Its
 * text is written by CareQueue and never carries PHI.
 *
 * @example
 * ```ts
 * Problem.parse({
 *   type: 'https://carequeue.dev/problems/not-found', title: 'Not found', status: 404,
 *   code: 'NOT_FOUND', detail: 'The clinic was not found.', requestId: 'req_01', resource: 'clinic',
 * });
 * ```
 */
export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.int().min(400).max(599),
  /** Stable, `SCREAMING_SNAKE`: what the client branches on. */
  code: z.string().regex(/^[A-Z][A-Z0-9_]{0,63}$/),
  detail: z.string().optional(),
  /** The id of the request, also sent as the `x-request-id` header. */
  requestId: z.string(),
  /** The fields refused, for `VALIDATION_FAILED`. */
  issues: z.array(ProblemIssue).optional(),
  /** How long to wait before retrying, for `RATE_LIMITED` and 503 answers. */
  retryAfterMs: z.int().nonnegative().optional(),
  /** The kind of record, for `NOT_FOUND`. */
  resource: z.string().optional(),
  /** The permission missing, for `FORBIDDEN`. */
  permission: z.string().optional(),
});
/** A parsed {@link Problem}. */
export type Problem = z.output<typeof Problem>;
