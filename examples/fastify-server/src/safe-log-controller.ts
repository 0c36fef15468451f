import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

/**
 * Logs an error that ends a request: a server error with the error itself, for operators; a
 * client error only with its code, because Fastify's messages for those can quote the request.
 * The message is fixed, since a logger redacts fields but writes messages as given.
 *
 * @param error - what was thrown; its message is never put in the message of the line.
 * @param reply - the reply, already carrying the status code that will be sent.
 * @example
 * ```ts
 * app.setErrorHandler((error, request, reply) => {
 *   reply.code(500);
 *   logRequestError(error, reply);
 * });
 * ```
 */
export function logRequestError(error: unknown, reply: FastifyReply): void {
  if (reply.statusCode >= 500) {
    reply.log.error({ req: reply.request, res: reply, err: error }, 'request failed');
    return;
  }
  const code: unknown =
    typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  reply.log.info(
    { res: reply, errorCode: typeof code === 'string' ? code : undefined },
    'request rejected',
  );
}

/**
 * Fastify's request log lines without the URL. Fastify's own controller writes
 * `Route GET:<url> not found` and error messages that quote input as the message of the line,
 * where no field redaction reaches; this one writes fixed messages and leaves the request's
 * method and route to the logger's fields.
 *
 * @example
 * ```ts
 * const app = Fastify({ loggerInstance, logController: new SafeLogController() });
 * ```
 */
export class SafeLogController extends LogController {
  override routeNotFound(request: FastifyRequest): void {
    if (this.isLogDisabled(request)) return;
    request.log.info({ req: request }, 'route not found');
  }

  override defaultErrorLog(error: Error, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return;
    logRequestError(error, reply);
  }

  override writeHeadError(error: Error, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return;
    reply.log.warn({ req: request, res: reply, err: error }, 'writing the error response failed');
  }
}
