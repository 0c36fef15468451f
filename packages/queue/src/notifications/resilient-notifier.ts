import { z } from 'zod';
import { isCarequeueError } from '@carequeue/core';
import {
  createCircuitBreaker,
  type CircuitBreaker,
  isCallerError,
  isTransientError,
  retryWithBackoff,
  type RetryOptions,
} from '@carequeue/resilience';
import type { DeliveryReceipt, Notifier, OutgoingMessage, SendOptions } from './notifier.js';
import { checkedNotifier } from './checked-notification-ports.js';
import { checkFactoryOptions, portOption } from '../config/factory-options.js';

/**
 * Options of {@link resilientNotifier}.
 *
 * @example
 * ```ts
 * const options: ResilientNotifierOptions = {
 *   breaker: createCircuitBreaker({ name: 'twilio', clock, isIgnored: isRecipientError }),
 *   retry: { maxRetries: 2, baseDelayMs: 500, clock },
 * };
 * ```
 */
export interface ResilientNotifierOptions {
  /**
   * The breaker around the provider. Build it with `isIgnored: isRecipientError` so that a wrong
   * or opted-out number does not count as a provider failure.
   *
   * @default a breaker named after the provider, ignoring recipient errors
   */
  readonly breaker?: CircuitBreaker;
  /** Retries of transient failures; an open breaker is never retried. @default 2 retries from 500 ms */
  readonly retry?: Omit<RetryOptions, 'signal'>;
}

/**
 * Whether a failure is about the recipient or the request (invalid or opted-out number, a
 * rejected request) rather than the provider's health; such failures must not open a breaker.
 *
 * @example
 * ```ts
 * const breaker = createCircuitBreaker({ name: 'twilio', isIgnored: isRecipientError });
 * ```
 */
export function isRecipientError(error: unknown): boolean {
  if (isCallerError(error)) return true;
  return (
    isCarequeueError(error) &&
    (error.code === 'NOTIFICATION_RECIPIENT_INVALID' ||
      error.code === 'NOTIFICATION_RECIPIENT_OPTED_OUT' ||
      error.code === 'NOTIFICATION_PROVIDER_REJECTED')
  );
}

const ResilientNotifierArgumentsSchema = z.object({
  notifier: portOption('a Notifier', ['send']).and(
    z.object({ channel: z.string(), provider: z.string() }),
  ),
  options: z
    .object({
      breaker: portOption('a CircuitBreaker', ['execute']).optional(),
      retry: z.object({}).optional(),
    })
    .optional(),
});

/**
 * A {@link Notifier} that is the given one behind retry (outside) and a circuit breaker (inside):
 * transient failures are retried with backoff while the breaker is closed; once the provider
 * keeps failing the breaker opens and calls fail fast with `CIRCUIT_OPEN`, which the outbox
 * dispatcher turns into a dead letter for replay after recovery.
 *
 * @throws NotificationDeliveryError (from `send`) from the provider, CircuitOpenError while the breaker is open.
 * @example
 * ```ts
 * import { resilientNotifier } from '@carequeue/queue';
 * import { twilioSmsNotifier } from '@carequeue/queue/twilio';
 *
 * const sms = resilientNotifier(twilioSmsNotifier({ accountSid, authToken, from }), {
 *   breaker: createCircuitBreaker({ name: 'twilio', isIgnored: isRecipientError }),
 * });
 * ```
 */
export function resilientNotifier(
  notifier: Notifier,
  options: ResilientNotifierOptions = {},
): Notifier & { readonly breaker: CircuitBreaker } {
  checkFactoryOptions(
    'resilientNotifier',
    ResilientNotifierArgumentsSchema,
    { notifier, options },
    '',
  );
  const breaker =
    options.breaker ??
    createCircuitBreaker({ name: notifier.provider, isIgnored: isRecipientError });
  const retry: Omit<RetryOptions, 'signal'> = {
    maxRetries: 2,
    baseDelayMs: 500,
    shouldRetry: isTransientError,
    ...options.retry,
  };
  return checkedNotifier({
    channel: notifier.channel,
    provider: notifier.provider,
    breaker,
    send(message: OutgoingMessage, sendOptions?: SendOptions): Promise<DeliveryReceipt> {
      return retryWithBackoff(
        () =>
          breaker.execute(({ signal }) => notifier.send(message, { signal }), {
            signal: sendOptions?.signal,
          }),
        { ...retry, signal: sendOptions?.signal },
      );
    },
  });
}
