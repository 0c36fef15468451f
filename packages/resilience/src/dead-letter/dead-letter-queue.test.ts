import { CarequeueError, createFakeClock } from '@carequeue/core';
import { createRequestContext, runWithContext } from '@carequeue/core/context';
import { type Meter, createNoopMeter } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { ResilienceConfigError } from '../errors.js';
import { DeadLetterQueue } from './dead-letter-queue.js';
import { createMemoryDeadLetterStore } from './memory-dead-letter-store.js';

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
  const queue = new DeadLetterQueue({ store: createMemoryDeadLetterStore(), clock, meter });
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
    await expect(queue.capture({ ...base, payload: {}, attempts: 0 })).rejects.toThrow(
      ResilienceConfigError,
    );
    await expect(queue.capture({ ...base, payload: undefined })).rejects.toThrow(
      ResilienceConfigError,
    );
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
    await expect(queue.purge({ olderThanMs: -1 })).rejects.toThrow(ResilienceConfigError);
  });

  it('rejects dlq.capture(null) with ResilienceConfigError, not a raw TypeError, and stores nothing', async () => {
    const { queue } = setup();
    for (const capture of [null, 'sms.reminder', 7]) {
      await expect(queue.capture(capture as never)).rejects.toThrow(
        'DeadLetterQueue.capture capture must be an object',
      );
    }
    await expect(
      queue.capture({ kind: 'sms.reminder', tenantId: null, payload: {}, error: null } as never),
    ).rejects.toThrow('DeadLetterQueue.capture capture.tenantId must be a non-empty string');
    expect((await queue.list()).letters).toEqual([]);
  });

  it('rejects null queries and options on list, replay and purge with ResilienceConfigError', async () => {
    const { queue } = setup();
    await expect(queue.list(null as never)).rejects.toThrow(ResilienceConfigError);
    await expect(queue.replay(() => Promise.resolve(), null as never)).rejects.toThrow(
      ResilienceConfigError,
    );
    await expect(queue.replay(null as never)).rejects.toThrow(
      'DeadLetterQueue.replay handler must be a function',
    );
    await expect(queue.purge(null as never)).rejects.toThrow(ResilienceConfigError);
  });
});
