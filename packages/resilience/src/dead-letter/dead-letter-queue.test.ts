import { CarequeueError, createFakeClock, ValidationError } from '@carequeue/core';
import { createRequestContext, runWithContext } from '@carequeue/core/context';
import { type Meter, createNoopMeter } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { createDeadLetterQueue } from './dead-letter-queue.js';
import { memoryDeadLetterStore } from './memory-dead-letter-store.js';

const TENANT = '0b9c2d3e-1f2a-4b5c-8d9e-0f1a2b3c4d5e';

class SmsUnavailableError extends CarequeueError {
  constructor() {
    super('SMS_PROVIDER_UNAVAILABLE', 503, 'The SMS provider did not answer.');
  }
}

function countingMeter(): { meter: Meter; counts: Map<string, number> } {
  const counts = new Map<string, number>();
  const noop = createNoopMeter();
  const meter = Object.assign(Object.create(noop) as Meter, {
    createCounter: (name: string) => ({
      add: (value: number) => counts.set(name, (counts.get(name) ?? 0) + value),
    }),
  });
  return { meter, counts };
}

function setup() {
  const clock = createFakeClock(Date.UTC(2026, 0, 1));
  const { meter, counts } = countingMeter();
  const queue = createDeadLetterQueue({ store: memoryDeadLetterStore(), clock, meter });
  return { clock, queue, counts };
}

describe('DeadLetterQueue', () => {
  it('keeps the CareQueue code and message, the clock time and the context correlation id when capturing', async () => {
    const { clock, queue, counts } = setup();
    const context = createRequestContext({ correlationIdHeader: 'req-42' });
    const id = await runWithContext(context, () =>
      queue.capture({
        kind: 'sms.reminder',
        tenantId: TENANT,
        payload: { appointmentId: 'a-1' },
        error: new SmsUnavailableError(),
        attempts: 4,
      }),
    );
    const [letter] = (await queue.list()).letters;
    expect(letter).toEqual({
      id,
      tenantId: TENANT,
      kind: 'sms.reminder',
      payload: '{"appointmentId":"a-1"}',
      errorCode: 'SMS_PROVIDER_UNAVAILABLE',
      errorMessage: 'The SMS provider did not answer.',
      attempts: 4,
      correlationId: 'req-42',
      firstFailedAt: clock.now(),
      lastFailedAt: clock.now(),
      replayedAt: undefined,
    });
    expect(counts.get('carequeue.dead_letters.captured')).toBe(1);
  });

  it('stores a generic code instead of the message when the error is not a CareQueue error', async () => {
    const { queue } = setup();
    await queue.capture({
      kind: 'ml.wait-estimate',
      tenantId: TENANT,
      payload: { patient: 'Jane Doe' },
      error: new Error('estimate failed for Jane Doe'),
      correlationId: 'job-1',
    });
    const [letter] = (await queue.list()).letters;
    expect(letter?.errorCode).toBe('UNEXPECTED_ERROR');
    expect(letter?.errorMessage).not.toContain('Jane Doe');
    expect(letter?.correlationId).toBe('job-1');
    expect(letter?.attempts).toBe(1);
  });

  it('refuses the capture when attempts is not a positive integer or the payload is not JSON', async () => {
    const { queue } = setup();
    const base = { kind: 'sms.reminder', tenantId: TENANT, error: new SmsUnavailableError() };
    await expect(queue.capture({ ...base, payload: {}, attempts: 0 })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      issues: [{ path: 'capture.attempts' }],
    });
    await expect(queue.capture({ ...base, payload: undefined })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      issues: [{ path: 'capture.payload' }],
    });
  });

  it('hands the parsed payload to the handler and records a failed replay when the handler throws', async () => {
    const { clock, queue, counts } = setup();
    await queue.capture({
      kind: 'sms.reminder',
      tenantId: TENANT,
      payload: { n: 1 },
      error: null,
      id: 'a',
    });
    await queue.capture({
      kind: 'sms.reminder',
      tenantId: TENANT,
      payload: { n: 2 },
      error: null,
      id: 'b',
    });
    await clock.advance(1_000);
    const received: unknown[] = [];
    const report = await queue.replay((payload) => {
      received.push(payload);
      return (payload as { n: number }).n === 2
        ? Promise.reject(new SmsUnavailableError())
        : Promise.resolve();
    });
    expect(report).toEqual({ replayed: 1, failed: 1 });
    expect(received).toEqual([{ n: 1 }, { n: 2 }]);
    const [pending] = (await queue.list()).letters;
    expect([pending?.id, pending?.attempts, pending?.errorCode, pending?.lastFailedAt]).toEqual([
      'b',
      2,
      'SMS_PROVIDER_UNAVAILABLE',
      clock.now(),
    ]);
    const [replayed] = (await queue.list({ status: 'replayed' })).letters;
    expect(replayed?.replayedAt).toBe(clock.now());
    expect(counts.get('carequeue.dead_letters.replayed')).toBe(1);
    expect(counts.get('carequeue.dead_letters.replay_failed')).toBe(1);
  });

  it('replays only the kind asked for when a kind filter is given', async () => {
    const { queue } = setup();
    await queue.capture({ kind: 'sms.reminder', tenantId: TENANT, payload: 1, error: null });
    await queue.capture({ kind: 'ml.wait-estimate', tenantId: TENANT, payload: 2, error: null });
    const report = await queue.replay(() => Promise.resolve(), { kind: 'ml.wait-estimate' });
    expect(report).toEqual({ replayed: 1, failed: 0 });
    expect((await queue.list()).letters.map((letter) => letter.kind)).toEqual(['sms.reminder']);
  });

  it('purges letters older than the given age by clock time and counts them', async () => {
    const { clock, queue, counts } = setup();
    await queue.capture({ kind: 'sms.reminder', tenantId: TENANT, payload: 1, error: null });
    await clock.advance(10_000);
    await queue.capture({ kind: 'sms.reminder', tenantId: TENANT, payload: 2, error: null });
    await clock.advance(1_000);
    expect(await queue.purge({ olderThanMs: 5_000 })).toBe(1);
    expect((await queue.list({ status: 'all' })).letters.map((letter) => letter.payload)).toEqual([
      '2',
    ]);
    expect(counts.get('carequeue.dead_letters.purged')).toBe(1);
    await expect(queue.purge({ olderThanMs: -1 })).rejects.toThrow(ValidationError);
  });

  it('rejects dlq.capture(null) with a ValidationError naming the argument, not a raw TypeError, and stores nothing', async () => {
    const { queue } = setup();
    for (const capture of [null, 'sms.reminder', 7]) {
      await expect(queue.capture(capture as never)).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        issues: [{ path: 'capture' }],
      });
    }
    await expect(
      queue.capture({ kind: 'sms.reminder', tenantId: null, payload: {}, error: null } as never),
    ).rejects.toMatchObject({ issues: [{ path: 'capture.tenantId', message: 'must be a UUID' }] });
    expect((await queue.list()).letters).toEqual([]);
  });

  it('rejects null queries and options on list, replay and purge with a ValidationError naming the argument', async () => {
    const { queue } = setup();
    await expect(queue.list(null as never)).rejects.toMatchObject({
      issues: [{ path: 'query' }],
    });
    await expect(queue.replay(() => Promise.resolve(), null as never)).rejects.toMatchObject({
      issues: [{ path: 'options' }],
    });
    await expect(queue.replay(null as never)).rejects.toMatchObject({
      issues: [{ path: 'handler', message: 'must be a function' }],
    });
    await expect(queue.purge(null as never)).rejects.toMatchObject({
      issues: [{ path: 'options' }],
    });
  });
});

describe('DeadLetterQueue arguments', () => {
  /** A memory store that records every call made to it. */
  function spiedQueue() {
    const store = memoryDeadLetterStore();
    const calls: string[] = [];
    const spied = new Proxy(store, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]): unknown => {
          calls.push(String(property));
          return Reflect.apply(value, target, args) as unknown;
        };
      },
    });
    return { queue: createDeadLetterQueue({ store: spied, clock: createFakeClock() }), calls };
  }

  it('DeadLetterQueue.list refuses a bad limit, a non-UUID tenant or a forged cursor before calling the store (it refused them only after calling it, or the Postgres store failed with a 503)', async () => {
    const { queue, calls } = spiedQueue();
    const forged = Buffer.from(JSON.stringify([1, '+1Zq81LmXv03Pa', 'x'])).toString('base64url');
    for (const [query, code] of [
      [{ tenantId: TENANT, limit: 0 }, 'VALIDATION_FAILED'],
      [{ tenantId: TENANT, limit: { tenantId: TENANT } }, 'VALIDATION_FAILED'],
      [{ tenantId: '+1Zq81LmXv03Pa', limit: 10 }, 'VALIDATION_FAILED'],
      [{ failedSince: -8.64e15 }, 'VALIDATION_FAILED'],
      [{ status: 'Zq81LmXv03Pa' }, 'VALIDATION_FAILED'],
      [{ cursor: forged }, 'DEAD_LETTER_CURSOR_INVALID'],
      [{ cursor: { tenantId: TENANT } }, 'VALIDATION_FAILED'],
    ] as const) {
      const error = await queue.list(query as never).catch((e: unknown) => e);
      expect(error).toMatchObject({ code, status: 400 });
      expect(JSON.stringify((error as CarequeueError).toProblem())).not.toContain('Zq81LmXv03Pa');
    }
    expect(calls).toEqual([]);
  });

  it('DeadLetterQueue.capture refuses a non-UUID tenant, a kind of more than 200 characters or a circular payload on the memory store as the Postgres store does, instead of storing it (503 on Postgres, raw TypeError for a circular payload)', async () => {
    const { queue, calls } = spiedQueue();
    const circular: Record<string, unknown> = {};
    circular['self'] = circular;
    const base = { kind: 'sms', tenantId: TENANT, payload: {}, error: null };
    for (const [capture, path] of [
      [{ ...base, tenantId: '9999-12-31T23:59:59.999Z' }, 'capture.tenantId'],
      [{ ...base, tenantId: '\u0000Zq81LmXv03Pa' }, 'capture.tenantId'],
      [{ ...base, kind: 'Zq81LmXv03Pa'.repeat(20) }, 'capture.kind'],
      [{ ...base, id: '' }, 'capture.id'],
      [{ ...base, correlationId: 'a\nb' }, 'capture.correlationId'],
      [{ ...base, payload: circular }, 'capture.payload'],
      [{ ...base, payload: 10n }, 'capture.payload'],
    ] as const) {
      await expect(queue.capture(capture as never)).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        issues: [{ path }],
      });
    }
    expect(calls).toEqual([]);
  });

  it('DeadLetterQueue.purge and replay refuse a non-number age or a filter of the wrong type with a ValidationError before calling the store (raw TypeError, or a 503 from Postgres)', async () => {
    const { queue, calls } = spiedQueue();
    for (const options of [{ olderThanMs: { timeZone: 1 } }, { olderThanMs: 8.64e15 }, {}]) {
      await expect(queue.purge(options as never)).rejects.toMatchObject({
        issues: [{ path: 'options.olderThanMs' }],
      });
    }
    for (const [options, path] of [
      [{ tenantId: () => TENANT }, 'options.tenantId'],
      [{ kind: 42 }, 'options.kind'],
      [{ maxLetters: 0 }, 'options.maxLetters'],
    ] as const) {
      await expect(queue.replay(() => Promise.resolve(), options as never)).rejects.toMatchObject({
        issues: [{ path }],
      });
    }
    expect(calls).toEqual([]);
  });
});
