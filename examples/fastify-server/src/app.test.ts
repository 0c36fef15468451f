import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createFakeClock, silentLogger, type LogFields, type Logger } from '@carequeue/core';
import { createLogger } from '@carequeue/core/logger';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildApp, type AppDatabase } from './app.js';
import { openDatabase } from './database.js';

function fakeDatabase(query: AppDatabase['query'] = () => Promise.resolve({ rows: [] })) {
  return { query: vi.fn(query), close: vi.fn(() => Promise.resolve()) };
}

/** A real CareQueue logger at debug level whose JSON lines land in `lines`. */
function capturedLogger(lines: string[]): Logger {
  return createLogger({ level: 'debug', destination: { write: (line) => lines.push(line) } });
}

describe('buildApp', () => {
  let app: FastifyInstance | undefined;

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('answers liveness with pass when the database is down', async () => {
    const database = fakeDatabase(() => Promise.reject(new Error('down')));
    app = await buildApp({ database, clock: createFakeClock() });

    const response = await app.inject({ method: 'GET', url: '/health/live' });

    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.json()).toEqual({
      status: 'pass',
      checks: {},
      time: '2026-01-01T00:00:00.000Z',
    });
    expect(database.query).not.toHaveBeenCalled();
  });

  it('answers readiness with 200 and the database check when the database responds', async () => {
    const database = fakeDatabase();
    app = await buildApp({ database, clock: createFakeClock() });

    const response = await app.inject({ method: 'GET', url: '/health' });

    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.json()).toEqual({
      status: 'healthy',
      timestamp: '2026-01-01T00:00:00.000Z',
      checks: { database: 'healthy' },
    });
    expect(database.query).toHaveBeenCalledWith('SELECT 1');
  });

  it('answers readiness with 503 when the database check fails', async () => {
    app = await buildApp({
      database: fakeDatabase(() => Promise.reject(new Error('connection refused'))),
    });

    const response = await app.inject({ method: 'GET', url: '/health' });

    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({
      status: 'unhealthy',
      checks: { database: 'unhealthy' },
    });
    expect(response.body).not.toContain('connection refused');
  });

  it('logs the driver error for operators when the database check fails', async () => {
    const warnings: unknown[] = [];
    const logger: Logger = {
      ...silentLogger,
      warn: (fields: LogFields | string, message?: string) => {
        warnings.push([fields, message]);
      },
      child: () => logger,
    };
    const driverError = new Error('connection refused');
    app = await buildApp({ database: fakeDatabase(() => Promise.reject(driverError)), logger });

    await app.inject({ method: 'GET', url: '/health' });

    expect(warnings).toContainEqual([{ err: driverError }, 'database health check failed']);
  });

  it('answers readiness with 503 when the database hangs past the check timeout', async () => {
    const clock = createFakeClock();
    app = await buildApp({
      database: fakeDatabase(() => new Promise<never>(() => undefined)),
      healthCheckTimeoutMs: 50,
      clock,
    });

    const pending = app.inject({
      method: 'GET',
      url: '/health',
      headers: { accept: 'application/health+json' },
    });
    await vi.waitUntil(() => clock.pendingTimers() === 1);
    await clock.advance(50);
    const response = await pending;

    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({
      status: 'fail',
      checks: {
        'database:responseTime': [
          { status: 'fail', output: 'The check did not finish within 50 ms.' },
        ],
      },
    });
  });

  it('sends the IETF health document when the client accepts application/health+json', async () => {
    app = await buildApp({
      database: fakeDatabase(() => Promise.reject(new Error('connection refused'))),
    });

    const response = await app.inject({
      method: 'GET',
      url: '/health',
      headers: { accept: 'application/health+json' },
    });

    expect(response.statusCode).toBe(503);
    expect(response.headers['content-type']).toBe('application/health+json; charset=utf-8');
    expect(response.headers.vary).toBe('Accept');
    expect(response.json()).toMatchObject({
      status: 'fail',
      checks: {
        'database:responseTime': [
          { componentId: 'database', componentType: 'datastore', status: 'fail' },
        ],
      },
    });
    expect(response.body).not.toContain('connection refused');
  });

  it('answers liveness as health+json when the client accepts it', async () => {
    app = await buildApp({ database: fakeDatabase() });

    const response = await app.inject({
      method: 'GET',
      url: '/health/live',
      headers: { accept: 'application/health+json' },
    });

    expect(response.headers['content-type']).toBe('application/health+json; charset=utf-8');
    expect(response.json()).toMatchObject({ status: 'pass' });
  });

  it('closes the database when the app closes', async () => {
    const database = fakeDatabase();
    const closing = await buildApp({ database });

    await closing.close();

    expect(database.close).toHaveBeenCalledTimes(1);
  });

  it('serves both health routes over HTTP when listening on a random port', async () => {
    const database = await openDatabase(undefined);
    app = await buildApp({ database });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as AddressInfo;
    const base = `http://127.0.0.1:${port}`;

    const live = await fetch(`${base}/health/live`);
    const ready = await fetch(`${base}/health`, {
      headers: { accept: 'application/health+json' },
    });

    expect(live.status).toBe(200);
    expect(await live.json()).toMatchObject({ status: 'pass' });
    expect(ready.status).toBe(200);
    expect(ready.headers.get('content-type')).toBe('application/health+json; charset=utf-8');
    expect(await ready.json()).toMatchObject({
      status: 'pass',
      checks: { 'database:responseTime': [{ status: 'pass' }] },
    });

    await app.close();
    app = undefined;
    await expect(database.query('SELECT 1')).rejects.toThrow('PGlite is closed');
  }, 60_000);

  it('answers an unknown path without echoing it in the body or the log (404 echoed the URL)', async () => {
    const marker = randomUUID();
    const lines: string[] = [];
    app = await buildApp({
      database: fakeDatabase(),
      logger: capturedLogger(lines),
      logLevel: 'debug',
    });

    const response = await app.inject({
      method: 'GET',
      url: `/patients/Jane-Doe-1985-03-04-${marker}?ssn=${marker}`,
    });

    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(response.json()).toEqual({ type: 'about:blank', title: 'Not Found', status: 404 });
    expect(JSON.stringify(response.headers)).not.toContain(marker);
    expect(lines.join('')).not.toContain(marker);
    expect(lines.map((line) => JSON.parse(line) as LogFields)).toEqual([
      expect.objectContaining({
        msg: 'incoming request',
        req: { method: 'GET', route: '(unmatched)' },
      }),
      expect.objectContaining({
        msg: 'request completed',
        req: { method: 'GET', route: '(unmatched)' },
        res: { statusCode: 404 },
      }),
    ]);
  });

  it('answers a malformed JSON body without echoing the URL or the body (error path echoed input)', async () => {
    const marker = randomUUID();
    const lines: string[] = [];
    app = await buildApp({
      database: fakeDatabase(),
      logger: capturedLogger(lines),
      logLevel: 'debug',
    });

    const response = await app.inject({
      method: 'POST',
      url: `/patients/Jane-Doe-${marker}?ssn=${marker}`,
      headers: { 'content-type': 'application/json' },
      payload: `{"name": "Jane Doe ${marker}", "ssn": ${marker}`,
    });

    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(response.json()).toEqual({
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      code: 'FST_ERR_CTP_INVALID_JSON_BODY',
    });
    expect(JSON.stringify(response.headers)).not.toContain(marker);
    expect(lines.join('')).not.toContain(marker);
    expect(lines.map((line) => JSON.parse(line) as LogFields)).toContainEqual(
      expect.objectContaining({
        msg: 'request rejected',
        errorCode: 'FST_ERR_CTP_INVALID_JSON_BODY',
        res: { statusCode: 400 },
      }),
    );
  });

  it('answers an oversized body with 413 without echoing the URL or the body (error path echoed input)', async () => {
    const marker = randomUUID();
    const lines: string[] = [];
    app = await buildApp({
      database: fakeDatabase(),
      logger: capturedLogger(lines),
      logLevel: 'debug',
    });

    const response = await app.inject({
      method: 'POST',
      url: `/patients?name=${marker}`,
      headers: { 'content-type': 'application/json' },
      // Fastify's default body limit is 1 MiB.
      payload: JSON.stringify({ note: marker.repeat(30_000) }),
    });

    expect(response.statusCode).toBe(413);
    expect(response.json()).toEqual({
      type: 'about:blank',
      title: 'Payload Too Large',
      status: 413,
      code: 'FST_ERR_CTP_BODY_TOO_LARGE',
    });
    expect(JSON.stringify(response.headers)).not.toContain(marker);
    expect(lines.join('')).not.toContain(marker);
  });

  it("answers a malformed URL with a problem document that does not echo it (Fastify's answer quoted the path)", async () => {
    const marker = randomUUID();
    const lines: string[] = [];
    app = await buildApp({ database: fakeDatabase(), logger: capturedLogger(lines) });

    const response = await app.inject({ method: 'GET', url: `/patients/%E0%A4%A-${marker}` });

    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(response.json()).toEqual({
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      code: 'FST_ERR_BAD_URL',
    });
    expect(response.body).not.toContain(marker);
    expect(lines.join('')).not.toContain(marker);
  });

  it('writes no log line carrying a marker put in the URL, on every route and error path, in process and over HTTP', async () => {
    const marker = randomUUID();
    const lines: string[] = [];
    app = await buildApp({
      database: fakeDatabase(),
      logger: capturedLogger(lines),
      logLevel: 'debug',
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as AddressInfo;
    const json = { 'content-type': 'application/json' };
    const requests: {
      method: string;
      path: string;
      headers?: Record<string, string>;
      body?: string;
    }[] = [
      { method: 'GET', path: `/health?name=${marker}` },
      {
        method: 'GET',
        path: `/health?name=${marker}`,
        headers: { accept: 'application/health+json' },
      },
      { method: 'HEAD', path: `/health/live?name=${marker}` },
      { method: 'GET', path: `/patients/${marker}?ssn=${marker}` },
      { method: 'POST', path: `/patients/${marker}`, headers: json, body: '{"name": ' },
      { method: 'POST', path: `/patients/${marker}`, headers: json, body: 'x'.repeat(1_100_000) },
      {
        method: 'POST',
        path: `/patients/${marker}`,
        headers: { 'content-type': 'text/xml' },
        body: '<a/>',
      },
      { method: 'GET', path: `/patients/%E0%A4%A-${marker}` },
    ];
    for (const { method, path, headers = {}, body } of requests) {
      await app.inject({ method: method as 'GET', url: path, headers, payload: body });
      await fetch(`http://127.0.0.1:${port}${path}`, { method, headers, body }).then((reply) =>
        reply.text(),
      );
    }
    // Fastify logs some lines after the answer went out.
    await new Promise((resolve) => setImmediate(resolve));

    expect(lines.length).toBeGreaterThan(2 * requests.length);
    expect(lines.join('')).not.toContain(marker);
    expect(lines.join('')).not.toMatch(/already sent/i);
  }, 60_000);
});
