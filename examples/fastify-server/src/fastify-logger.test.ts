import type { LogFields, Logger } from '@carequeue/core';
import { describe, expect, it } from 'vitest';
import { toFastifyLogger } from './fastify-logger.js';

interface Line {
  readonly level: string;
  readonly fields: LogFields | undefined;
  readonly message: string | undefined;
  readonly bindings: LogFields;
}

function recordingLogger(lines: Line[], bindings: LogFields = {}): Logger {
  const method =
    (level: string) =>
    (fieldsOrMessage: LogFields | string, message?: string): void => {
      lines.push(
        typeof fieldsOrMessage === 'string'
          ? { level, fields: undefined, message: fieldsOrMessage, bindings }
          : { level, fields: fieldsOrMessage, message, bindings },
      );
    };
  return {
    debug: method('debug'),
    info: method('info'),
    warn: method('warn'),
    error: method('error'),
    child: (more) => recordingLogger(lines, { ...bindings, ...more }),
  };
}

describe('toFastifyLogger', () => {
  it('keeps only method, route and status code when Fastify logs a request and reply', () => {
    const lines: Line[] = [];
    const log = toFastifyLogger(recordingLogger(lines), 'info');
    const request = {
      method: 'GET',
      url: '/patients?name=Alice',
      headers: { authorization: 'Bearer secret' },
      routeOptions: { url: '/patients' },
    };

    log.info({ req: request, res: { statusCode: 200, raw: {} }, responseTime: 3 }, 'done');

    expect(lines).toEqual([
      {
        level: 'info',
        fields: {
          req: { method: 'GET', route: '/patients' },
          res: { statusCode: 200 },
          responseTime: 3,
        },
        message: 'done',
        bindings: {},
      },
    ]);
  });

  it('maps fatal to error and trace to debug when Fastify uses levels the port lacks', () => {
    const lines: Line[] = [];
    const log = toFastifyLogger(recordingLogger(lines), 'debug');

    log.fatal('boot failed');
    log.trace('routing');
    log.silent('dropped');

    expect(lines.map((line) => [line.level, line.message])).toEqual([
      ['error', 'boot failed'],
      ['debug', 'routing'],
    ]);
    expect(log.level).toBe('debug');
  });

  it('wraps an error as err when Fastify logs an error object', () => {
    const lines: Line[] = [];
    const error = new TypeError('bad');

    toFastifyLogger(recordingLogger(lines), 'info').error(error);

    expect(lines).toEqual([
      { level: 'error', fields: { err: error }, message: 'TypeError', bindings: {} },
    ]);
  });

  it('wraps a primitive as value when something logs a number', () => {
    const lines: Line[] = [];

    toFastifyLogger(recordingLogger(lines), 'info').warn(42, 'odd');

    expect(lines[0]?.fields).toEqual({ value: 42 });
  });

  it('binds fields on every line when Fastify creates a child logger', () => {
    const lines: Line[] = [];

    toFastifyLogger(recordingLogger(lines), 'info').child({ reqId: 'req-1' }).info('hello');

    expect(lines[0]?.bindings).toEqual({ reqId: 'req-1' });
  });

  it('logs (unmatched) instead of the URL when the request matched no route', () => {
    const lines: Line[] = [];
    const request = { method: 'GET', url: '/patients/Jane-Doe?ssn=123', routeOptions: {} };

    toFastifyLogger(recordingLogger(lines), 'info').info({ req: request }, 'incoming request');

    expect(lines[0]?.fields).toEqual({ req: { method: 'GET', route: '(unmatched)' } });
  });

  it('takes method and route from the reply when Fastify logs request completed', () => {
    const lines: Line[] = [];
    const request = {
      method: 'GET',
      url: '/patients/42?name=Alice',
      routeOptions: { url: '/patients/:id' },
    };

    toFastifyLogger(recordingLogger(lines), 'info').info(
      { res: { statusCode: 200, request }, responseTime: 1 },
      'request completed',
    );

    expect(lines[0]?.fields).toEqual({
      req: { method: 'GET', route: '/patients/:id' },
      res: { statusCode: 200 },
      responseTime: 1,
    });
  });

  it("leaves the URL out of Fastify's 'Reply was already sent' warning, which quotes it in its message", () => {
    const lines: Line[] = [];
    const log = toFastifyLogger(recordingLogger(lines), 'info');

    log.warn(
      'Reply was already sent, did you forget to "return reply" in the "/patients/Jane-Doe?ssn=123" (GET) route?',
    );

    expect(lines).toEqual([
      {
        level: 'warn',
        fields: undefined,
        message: 'reply was already sent: a handler answered twice (the URL is left out)',
        bindings: {},
      },
    ]);
  });
});
