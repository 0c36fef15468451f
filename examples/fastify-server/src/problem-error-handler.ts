import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorStatus, sendProblem } from './problem-details.js';
import { logRequestError } from './safe-log-controller.js';

/**
 * Answers an error with a problem document: the server's error handler, and its handler of
 * Fastify's own framework errors (a malformed URL, whose default answer quotes the path).
 *
 * An error can reach it after the response has started (a failure while the body is written).
 * Sending then would be a second answer: Fastify refuses it with a "Reply was already sent"
 * warning whose message quotes the raw URL, and the URL of a clinic API carries patient data.
 * Such a response is cut off instead, as Fastify's own fallback does, and logged with a fixed
 * message.
 *
 * @param error - what was thrown or rejected.
 * @param request - the request; unused, named for Fastify's handler signature.
 * @param reply - the reply to answer on.
 * @example
 * ```ts
 * const app = Fastify({ frameworkErrors: answerWithProblem });
 * app.setErrorHandler(answerWithProblem);
 * ```
 */
export function answerWithProblem(
  error: unknown,
  _request: FastifyRequest,
  reply: FastifyReply,
): void {
  if (reply.sent || reply.raw.headersSent) {
    reply.log.warn(
      { res: reply, err: error },
      'the response had started when the request failed; it was cut off',
    );
    reply.raw.destroy();
    return;
  }
  const status = errorStatus(error);
  reply.code(status);
  logRequestError(error, reply);
  const code: unknown =
    typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  sendProblem(reply, status, code);
}
