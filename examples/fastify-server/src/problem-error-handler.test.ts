import { randomUUID } from 'node:crypto';
import { createLogger } from '@carequeue/core/logger';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { toFastifyLogger } from './fastify-logger.js';
import { answerWithProblem } from './problem-error-handler.js';
import { SafeLogController } from './safe-log-controller.js';

describe('answerWithProblem', () => {
  let app: FastifyInstance | undefined;

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('does not answer twice when a request fails after its response started, and no log line carries a marker put in the URL (the second answer logged Fastify\'s "Reply was already sent" warning quoting the URL)', async () => {
    const marker = randomUUID();
    const lines: string[] = [];
    app = Fastify({
      loggerInstance: toFastifyLogger(
        createLogger({ level: 'debug', destination: { write: (line) => lines.push(line) } }),
        'debug',
      ),
      logController: new SafeLogController(),
    });
    app.setErrorHandler(answerWithProblem);
    app.get('/patients/:id', (_request, reply) => {
      reply.raw.writeHead(200, { 'content-type': 'application/json' });
      throw new Error('failed while the body was being written');
    });
    await app.ready();

    await app
      .inject({ method: 'GET', url: `/patients/${marker}?ssn=${marker}` })
      .catch(() => undefined);
    await new Promise((resolve) => setImmediate(resolve));

    expect(lines.join('')).not.toContain(marker);
    expect(lines.join('')).not.toMatch(/already sent/i);
    expect(lines.map((line) => JSON.parse(line) as unknown)).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        msg: 'the response had started when the request failed; it was cut off',
        req: { method: 'GET', route: '/patients/:id' },
      }),
    );
  });
});
