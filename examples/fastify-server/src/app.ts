import { silentLogger, systemClock, type Clock, type Logger } from '@carequeue/core';
import type { LogLevel } from '@carequeue/core/logger';
import {
  HEALTH_JSON_MEDIA_TYPE,
  createHealthRegistry,
  healthHttpStatus,
} from '@carequeue/resilience';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { toFastifyLogger } from './fastify-logger.js';
import { prefersHealthJson } from './health-negotiation.js';
import { sendProblem } from './problem-details.js';
import { answerWithProblem } from './problem-error-handler.js';
import { SafeLogController } from './safe-log-controller.js';

/** What the app needs from its database: PGlite and `pg` pools both fit. */
export interface AppDatabase {
  query(sql: string): Promise<unknown>;
  close(): Promise<void>;
}

/** Dependencies and settings of {@link buildApp}. */
export interface AppOptions {
  /** The store; the app owns it from now on and closes it when the app closes. */
  readonly database: AppDatabase;
  /** Where Fastify and the health checks log. @default silentLogger */
  readonly logger?: Logger;
  /** The level `logger` was created with, reported to Fastify. @default 'info' */
  readonly logLevel?: LogLevel;
  /** How long each readiness check may take before it fails. @default 2000 */
  readonly healthCheckTimeoutMs?: number;
  /** How long a readiness result is reused, so probes do not hammer the database. @default 1000 */
  readonly healthCacheMs?: number;
  /** Source of time for health reports and check timeouts. @default systemClock */
  readonly clock?: Clock;
}

const REPORT_HTTP_STATUS = { healthy: 200, degraded: 200, unhealthy: 503 } as const;

function noStore(reply: FastifyReply): FastifyReply {
  return reply.header('cache-control', 'no-store').header('vary', 'Accept');
}

/**
 * Builds the example server: liveness at `GET /health/live`, readiness at `GET /health`. It reads
 * no environment and does not listen; call `listen` or `inject` on the result. Unknown routes and
 * errors (including malformed, oversized or unsupported bodies) answer an RFC 9457
 * `application/problem+json` document that never repeats the URL or the body, and log lines
 * carry the route pattern instead of the URL.
 *
 * @param options - the injected database, logger, health check timing and clock.
 * @returns a ready Fastify instance.
 * @example
 * ```ts
 * const app = await buildApp({ database: await openDatabase(undefined), logger });
 * const response = await app.inject({ method: 'GET', url: '/health' });
 * response.statusCode; // 200
 * await app.close();
 * ```
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { database } = options;
  const app = Fastify({
    loggerInstance: toFastifyLogger(options.logger ?? silentLogger, options.logLevel ?? 'info'),
    logController: new SafeLogController(),
    // Without it a malformed URL is answered `'<path>' is not a valid url component`.
    frameworkErrors: answerWithProblem,
  });
  // Fastify's own answers quote the URL (`Route GET:<url> not found`) or the input that failed to
  // parse; a clinic URL or body carries names, dates of birth and record numbers.
  app.setNotFoundHandler((_request: FastifyRequest, reply: FastifyReply) => {
    sendProblem(reply, 404);
  });
  app.setErrorHandler(answerWithProblem);
  app.addHook('onClose', () => database.close());

  const health = createHealthRegistry({ clock: options.clock ?? systemClock });
  health.register(
    'database',
    async () => {
      try {
        await database.query('SELECT 1');
      } catch (error: unknown) {
        // The health document hides driver messages; operators find the cause here.
        app.log.warn({ err: error }, 'database health check failed');
        throw error;
      }
    },
    {
      componentType: 'datastore',
      timeoutMs: options.healthCheckTimeoutMs ?? 2000,
      cacheMs: options.healthCacheMs ?? 1000,
    },
  );

  app.get('/health/live', async (request: FastifyRequest, reply: FastifyReply) => {
    const document = await health.liveness();
    const type = prefersHealthJson(request.headers.accept)
      ? HEALTH_JSON_MEDIA_TYPE
      : 'application/json';
    return noStore(reply).code(200).type(type).send(document);
  });

  app.get('/health', async (request: FastifyRequest, reply: FastifyReply) => {
    if (prefersHealthJson(request.headers.accept)) {
      const document = await health.toHealthJson();
      return noStore(reply)
        .code(healthHttpStatus(document.status))
        .type(HEALTH_JSON_MEDIA_TYPE)
        .send(document);
    }
    const report = await health.report();
    return noStore(reply)
      .code(REPORT_HTTP_STATUS[report.status])
      .type('application/json')
      .send(report);
  });

  await app.ready();
  return app;
}
