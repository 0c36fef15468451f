import type { LogFields, Logger } from '@carequeue/core';
import type { LogLevel } from '@carequeue/core/logger';
import type { FastifyBaseLogger } from 'fastify';

/** Written as the route of a request that matched no route, whose URL must not be logged. */
export const UNMATCHED_ROUTE = '(unmatched)';

function routeOf(request: object): string {
  const options = (request as { routeOptions?: { url?: unknown } }).routeOptions;
  return typeof options?.url === 'string' ? options.url : UNMATCHED_ROUTE;
}

function requestFields(req: object): LogFields {
  return { method: (req as { method?: unknown }).method, route: routeOf(req) };
}

// Fastify hands raw request and reply objects to its logger; only these fields may leave, and the
// route pattern stands in for the URL, whose path and query string could carry patient data.
// Fastify's reply lines (`request completed`) carry no `req`, so it is taken from the reply.
function safeFields(fields: object): LogFields {
  const { req, res, ...rest } = fields as { req?: unknown; res?: unknown } & LogFields;
  const safe: LogFields = { ...rest };
  if (typeof req === 'object' && req !== null) safe.req = requestFields(req);
  if (typeof res === 'object' && res !== null) {
    safe.res = { statusCode: (res as { statusCode?: unknown }).statusCode };
    const request = (res as { request?: unknown }).request;
    if (safe.req === undefined && typeof request === 'object' && request !== null) {
      safe.req = requestFields(request);
    }
  }
  return safe;
}

// Fastify's warning about a second answer puts the raw URL in its message (`Reply was already
// sent, did you forget to "return reply" in the "<url>" (<method>) route?`), where no field
// redaction reaches: the message is replaced by a fixed one.
const ALREADY_SENT = 'Reply was already sent';

function safeMessage(text: string): string {
  return text.startsWith(ALREADY_SENT)
    ? 'reply was already sent: a handler answered twice (the URL is left out)'
    : text;
}

function forward(logger: Logger, level: 'debug' | 'info' | 'warn' | 'error') {
  return (first: unknown, message?: unknown): void => {
    const text = typeof message === 'string' ? safeMessage(message) : undefined;
    if (typeof first === 'string') logger[level](safeMessage(first));
    else if (first instanceof Error) logger[level]({ err: first }, text ?? first.name);
    else if (typeof first === 'object' && first !== null) logger[level](safeFields(first), text);
    else logger[level]({ value: first }, text);
  };
}

/**
 * Lets Fastify log through a CareQueue {@link Logger}, so its lines get the same PHI redaction
 * and correlation ids as the rest of the server. Fastify's `fatal` goes to `error` and `trace` to
 * `debug`; raw requests and replies are reduced to method, route and status code.
 *
 * @param logger - the CareQueue logger to write to.
 * @param level - the level the logger was created with, reported to Fastify.
 * @returns a logger to pass as Fastify's `loggerInstance`.
 * @example
 * ```ts
 * const logger = createLogger({ level: 'info' });
 * const app = Fastify({ loggerInstance: toFastifyLogger(logger, 'info') });
 * ```
 */
export function toFastifyLogger(logger: Logger, level: LogLevel): FastifyBaseLogger {
  return {
    level,
    fatal: forward(logger, 'error'),
    error: forward(logger, 'error'),
    warn: forward(logger, 'warn'),
    info: forward(logger, 'info'),
    debug: forward(logger, 'debug'),
    trace: forward(logger, 'debug'),
    silent: () => undefined,
    child: (bindings) => toFastifyLogger(logger.child(safeFields(bindings)), level),
  };
}
