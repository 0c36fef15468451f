import { randomUUID } from 'node:crypto';
import { createLogger } from '@carequeue/core/logger';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { toFastifyLogger } from './fastify-logger.js';
import { SafeLogController } from './safe-log-controller.js';

// Fastify's default handlers, so each override runs where Fastify's own would have.
async function bareApp(lines: string[]): Promise<FastifyInstance> {
  const logger = createLogger({
    level: 'debug',
    destination: { write: (line) => lines.push(line) },
  });
  const app = Fastify({
    loggerInstance: toFastifyLogger(logger, 'debug'),
    logController: new SafeLogController(),
  });
  app.get('/patients/:id', (request) => {
    throw new Error(`no record for ${(request.params as { id: string }).id}`);
  });
  app.get('/lookup', (_request, reply) => {
    reply.callNotFound();
  });
  await app.ready();
  return app;
}

describe('SafeLogController', () => {
  let app: FastifyInstance | undefined;

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('logs a server error with the route and a fixed message when a handler throws input', async () => {
    const marker = randomUUID();
    const lines: string[] = [];
    app = await bareApp(lines);

    await app.inject({ method: 'GET', url: `/patients/${marker}?ssn=${marker}` });

    expect(lines.join('')).not.toContain(marker);
    expect(lines.map((line) => JSON.parse(line) as unknown)).toContainEqual(
      expect.objectContaining({
        level: 'error',
        msg: 'request failed',
        req: { method: 'GET', route: '/patients/:id' },
        res: { statusCode: 500 },
      }),
    );
  });

  it('logs route not found without the URL when a handler falls back to the basic 404', async () => {
    const marker = randomUUID();
    const lines: string[] = [];
    app = await bareApp(lines);

    await app.inject({ method: 'GET', url: `/lookup?name=${marker}` });

    expect(lines.join('')).not.toContain(marker);
    expect(lines.map((line) => JSON.parse(line) as unknown)).toContainEqual(
      expect.objectContaining({
        msg: 'route not found',
        req: { method: 'GET', route: '(unmatched)' },
      }),
    );
  });

  it('logs a failed error response with a fixed message when writing its headers throws', () => {
    const marker = randomUUID();
    const lines: string[] = [];
    const log = toFastifyLogger(
      createLogger({ level: 'debug', destination: { write: (line) => lines.push(line) } }),
      'debug',
    );
    const request = { method: 'GET', url: `/x?ssn=${marker}`, routeOptions: {}, log };
    const reply = { statusCode: 500, request, log } as unknown as FastifyReply;

    new SafeLogController().writeHeadError(
      new TypeError(`Invalid header value ${marker}`),
      reply.request,
      reply,
    );

    expect(lines.join('')).not.toContain(marker);
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({
      level: 'warn',
      msg: 'writing the error response failed',
      req: { method: 'GET', route: '(unmatched)' },
    });
  });

  it('writes nothing when request logging is disabled', async () => {
    const lines: string[] = [];
    const logger = createLogger({
      level: 'debug',
      destination: { write: (line) => lines.push(line) },
    });
    app = Fastify({
      loggerInstance: toFastifyLogger(logger, 'debug'),
      logController: new SafeLogController({ disableRequestLogging: true }),
    });
    app.get('/boom', () => {
      throw new Error('boom');
    });
    app.get('/lookup', (_request, reply) => {
      reply.callNotFound();
    });

    await app.inject({ method: 'GET', url: '/boom' });
    await app.inject({ method: 'GET', url: '/lookup' });

    expect(lines).toEqual([]);
  });
});
