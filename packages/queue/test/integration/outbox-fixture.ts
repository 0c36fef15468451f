import { randomBytes } from 'node:crypto';
import { createFakeClock, type FakeClock } from '@carequeue/core';
import {
  createBlindIndex,
  createFieldEncryptor,
  keyringFromConfig,
  type BlindIndex,
  type FieldEncryptor,
} from '@carequeue/core/crypto';
import type { SqlExecutor } from '@carequeue/core/sql';
import {
  createCircuitBreaker,
  type CircuitBreaker,
  memoryDeadLetterStore,
  createDeadLetterQueue,
  type DeadLetterQueue,
  type DeadLetterStore,
} from '@carequeue/resilience';
import { createNotificationTemplates } from '../../src/notifications/notification-templates.js';
import { isRecipientError, resilientNotifier } from '../../src/notifications/resilient-notifier.js';
import { sqlOptOutStore } from '../../src/notifications/postgres/opt-out-store.js';
import { twilioSmsNotifier } from '../../src/notifications/twilio/sms-notifier.js';
import type { NewNotification } from '../../src/notifications/ports/notification-outbox.js';
import { createNotificationOutbox } from '../../src/notifications/postgres/notification-outbox.js';
import type { OutboxDispatcher } from '../../src/notifications/dispatch-outbox.js';
import {
  createOutboxDispatcher,
  type OutboxDispatcherOptions,
} from '../../src/notifications/postgres/outbox-dispatcher.js';
import { TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN } from './notification-twilio-fixture.js';
import type { SeededTenant } from './tenant-fixture.js';

/** Everything a dispatcher test needs, on one executor and one fake clock. */
export interface OutboxFixture {
  readonly clock: FakeClock;
  readonly encryptor: FieldEncryptor;
  readonly blindIndex: BlindIndex;
  readonly breaker: CircuitBreaker;
  readonly deadLetters: DeadLetterQueue;
  readonly outbox: ReturnType<typeof createNotificationOutbox>;
  dispatcher(overrides?: Partial<OutboxDispatcherOptions>): OutboxDispatcher;
}

/**
 * Dispatcher dependencies on `executor`. The dead-letter store defaults to memory because the
 * Postgres store replays inside a transaction, which a single PGlite connection cannot nest.
 */
export function outboxFixture(
  executor: SqlExecutor,
  options: { twilioBaseUrl?: string; deadLetterStore?: DeadLetterStore } = {},
): OutboxFixture {
  const twilioBaseUrl = options.twilioBaseUrl;
  const clock = createFakeClock(Date.UTC(2026, 2, 2, 9));
  const key = (): string => randomBytes(32).toString('base64');
  const encryptor = createFieldEncryptor({
    keys: keyringFromConfig({ current: 'k1', keys: { k1: key() } }),
  });
  const blindIndex = createBlindIndex({ key: key() });
  const breaker = createCircuitBreaker({
    name: 'twilio',
    clock,
    isIgnored: isRecipientError,
    volumeThreshold: 3,
    errorThresholdPercentage: 50,
    resetTimeoutMs: 30_000,
    timeoutMs: false,
  });
  const deadLetters = createDeadLetterQueue({
    store: options.deadLetterStore ?? memoryDeadLetterStore(),
    clock,
  });
  const sms = resilientNotifier(
    twilioSmsNotifier({
      accountSid: TWILIO_ACCOUNT_SID,
      authToken: TWILIO_AUTH_TOKEN,
      from: '+14155550199',
      ...(twilioBaseUrl === undefined ? {} : { baseUrl: twilioBaseUrl }),
    }),
    { breaker, retry: { maxRetries: 0, clock } },
  );
  return {
    clock,
    encryptor,
    blindIndex,
    breaker,
    deadLetters,
    outbox: createNotificationOutbox({ encryptor, clock }),
    dispatcher: (overrides = {}) =>
      createOutboxDispatcher({
        executor,
        encryptor,
        templates: createNotificationTemplates(),
        notifiers: { sms },
        optOuts: (tx) => sqlOptOutStore({ executor: tx, blindIndex }),
        deadLetters,
        clock,
        workerId: 'test-dispatcher',
        leaseMs: 60_000,
        ...overrides,
      }),
  };
}

/** A "called" SMS whose ticket identifies it in the provider's log. */
export function calledSms(t: SeededTenant, ticket: string, to = '+14155550100'): NewNotification {
  return {
    tenantId: t.tenantId,
    clinicId: t.clinicOne,
    patientId: t.patientOne,
    kind: 'queue.called',
    channel: 'sms',
    to,
    locales: ['en'],
    variables: { clinicName: 'Riverside Clinic', ticket, counter: 'Room 3' },
    dedupeKey: `queue.called:${ticket}`,
  };
}

/** The ticket a rendered "called" message names. */
export function ticketOf(body: string): string | undefined {
  return /ticket ([\w-]+),/.exec(body)?.[1];
}
