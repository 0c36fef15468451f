import { createFakeClock } from '@carequeue/core';
import { CircuitOpenError } from '@carequeue/resilience';
import { describe, expect, it } from 'vitest';
import { NotificationDeliveryError } from './notification-delivery-error.js';
import type { Notifier, OutgoingMessage } from './notifier.js';
import { isRecipientError, resilientNotifier } from './resilient-notifier.js';

const message: OutgoingMessage = { id: 'n1', channel: 'sms', to: '+14155550100', body: 'x' };

function scripted(answers: (() => Promise<never> | undefined)[]): Notifier & { calls: number } {
  const notifier = {
    channel: 'sms' as const,
    provider: 'test-sms',
    calls: 0,
    send() {
      const answer = answers[notifier.calls];
      notifier.calls += 1;
      return (
        answer?.() ??
        Promise.resolve({ provider: 'test-sms', providerMessageId: `m${String(notifier.calls)}` })
      );
    },
  };
  return notifier;
}

const unavailable = () =>
  Promise.reject(
    new NotificationDeliveryError('test-sms', 'NOTIFICATION_PROVIDER_UNAVAILABLE', {
      upstreamStatus: 503,
    }),
  );
const invalid = () =>
  Promise.reject(new NotificationDeliveryError('test-sms', 'NOTIFICATION_RECIPIENT_INVALID'));

describe('resilientNotifier', () => {
  it('retries a transient failure after a backoff delay and then succeeds', async () => {
    const clock = createFakeClock();
    const inner = scripted([unavailable]);
    const sms = resilientNotifier(inner, {
      retry: { maxRetries: 2, baseDelayMs: 100, clock, random: () => 0.5 },
    });

    const sending = sms.send(message);
    await clock.advance(50);

    await expect(sending).resolves.toEqual({ provider: 'test-sms', providerMessageId: 'm2' });
    expect(inner.calls).toBe(2);
    expect(sms.channel).toBe('sms');
    expect(sms.breaker.getState()).toBe('closed');
  });

  it('does not retry nor count recipient errors against the provider', async () => {
    const clock = createFakeClock();
    const inner = scripted([invalid, invalid, invalid, invalid, invalid, invalid]);
    const sms = resilientNotifier(inner, { retry: { maxRetries: 2, clock } });

    for (let i = 0; i < 6; i += 1) {
      await expect(sms.send(message)).rejects.toMatchObject({
        code: 'NOTIFICATION_RECIPIENT_INVALID',
      });
    }

    expect(inner.calls).toBe(6);
    expect(sms.breaker.getState()).toBe('closed');
  });

  it('fails fast with CIRCUIT_OPEN once the provider keeps failing', async () => {
    const clock = createFakeClock();
    const inner = scripted(Array.from({ length: 20 }, () => unavailable));
    const sms = resilientNotifier(inner, { retry: { maxRetries: 0, clock } });

    let open: unknown;
    for (let i = 0; i < 20 && open === undefined; i += 1) {
      try {
        await sms.send(message);
      } catch (error: unknown) {
        if (error instanceof CircuitOpenError) open = error;
      }
    }

    expect(open).toBeInstanceOf(CircuitOpenError);
    expect(sms.breaker.getState()).toBe('open');
    expect(inner.calls).toBeLessThan(20);
  });

  it('classifies recipient and caller errors apart from provider failures', () => {
    expect(
      isRecipientError(new NotificationDeliveryError('x', 'NOTIFICATION_RECIPIENT_OPTED_OUT')),
    ).toBe(true);
    expect(
      isRecipientError(new NotificationDeliveryError('x', 'NOTIFICATION_PROVIDER_REJECTED')),
    ).toBe(true);
    expect(
      isRecipientError(new NotificationDeliveryError('x', 'NOTIFICATION_PROVIDER_UNAVAILABLE')),
    ).toBe(false);
    expect(isRecipientError(new Error('boom'))).toBe(false);
  });
});
