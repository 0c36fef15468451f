import { z } from 'zod';
import {
  parseArguments,
  isCarequeueError,
  type Clock,
  type Logger,
  type TimerHandle,
} from '@carequeue/core';
import type { FieldEncryptor } from '@carequeue/core/crypto';
import type { DeadLetterQueue, DeadLetterReplayReport } from '@carequeue/resilience';
import type { NotificationTemplates } from './notification-templates.js';
import type { NotificationChannel, Notifier } from './notifier.js';
import type { OptOutStore } from './ports/opt-out-store.js';
import type {
  ClaimedNotification,
  DeliveryOutcome,
  DeliveryRecord,
  OutboxDeliveries,
} from './ports/outbox-deliveries.js';
import { outboxPayloadContext, type NotificationPayload } from './outbox-payload.js';

const replayArguments = z.object({
  options: z.strictObject({ maxLetters: z.int().positive().optional() }),
});

/**
 * The dead-letter kind under which the dispatcher parks notifications it could not deliver.
 *
 * @example
 * ```ts
 * await deadLetters.list({ kind: NOTIFICATION_DEAD_LETTER_KIND });
 * ```
 */
export const NOTIFICATION_DEAD_LETTER_KIND = 'queue.notification';

/**
 * What one {@link OutboxDispatcher.dispatchOnce} round did.
 *
 * @example
 * ```ts
 * const { sent, deadLettered }: DispatchReport = await dispatcher.dispatchOnce();
 * ```
 */
export interface DispatchReport {
  readonly claimed: number;
  readonly sent: number;
  /** Not sent because the recipient opted out. */
  readonly skipped: number;
  /** Parked as dead letters. */
  readonly deadLettered: number;
}

/**
 * Delivers the outbox.
 *
 * @example
 * ```ts
 * dispatcher.start();
 * // on shutdown
 * await dispatcher.stop();
 * ```
 */
export interface OutboxDispatcher {
  /** Claims up to `batchSize` due rows and delivers them. */
  dispatchOnce(): Promise<DispatchReport>;
  /**
   * Runs rounds until {@link OutboxDispatcher.stop}: back to back while rows are due, else every
   * `pollIntervalMs`. The wait between rounds does not keep a Node process alive; the host
   * (a server, or a worker awaiting its shutdown signal) does.
   */
  start(): void;
  /** Stops after the current round. */
  stop(): Promise<void>;
  /** Replays the parked notifications through the notifiers; each one that succeeds is recorded as sent. */
  replayDeadLetters(options?: { readonly maxLetters?: number }): Promise<DeadLetterReplayReport>;
}

/** What {@link dispatchOutbox} delivers with, every default already applied. */
export interface OutboxDispatch {
  readonly deliveries: OutboxDeliveries;
  /** Checked before every send; a provider's opt-out answer is recorded here. */
  readonly optOuts: Pick<OptOutStore, 'isOptedOut' | 'record'>;
  readonly encryptor: FieldEncryptor;
  readonly templates: NotificationTemplates;
  readonly notifiers: Partial<Record<NotificationChannel, Notifier>>;
  readonly deadLetters: DeadLetterQueue;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly leaseMs: number;
  readonly batchSize: number;
  readonly pollIntervalMs: number;
}

function errorCode(error: unknown): string {
  return isCarequeueError(error) ? error.code : 'UNEXPECTED_ERROR';
}

/**
 * The outbox dispatcher over any {@link OutboxDeliveries}. Each round claims due notifications
 * with a lease; then, outside any transaction, it checks opt-outs, renders and sends each one,
 * and records the provider's receipt. Delivery is at least once: a dispatcher that dies leaves
 * its claims, and they are taken again when the lease runs out. A recipient that opted out is
 * skipped (a provider's opt-out answer is recorded); any other failure, after the notifier's own
 * retries, parks the notification as a dead letter holding only its id.
 */
export function dispatchOutbox(dispatch: OutboxDispatch): OutboxDispatcher {
  const { deliveries, clock, batchSize, leaseMs, pollIntervalMs } = dispatch;
  const logger = dispatch.logger.child({ component: 'outbox-dispatcher' });
  const channels = Object.keys(dispatch.notifiers);
  let running = false;
  let timer: TimerHandle | undefined;
  let round: Promise<unknown> = Promise.resolve();

  const settle = (row: ClaimedNotification, outcome: DeliveryOutcome, record: DeliveryRecord) =>
    deliveries.settle(row.id, outcome, record, clock.now());

  /** Sends one claimed row; resolves with what happened, rejects only when the send failed. */
  async function deliver(row: ClaimedNotification): Promise<'sent' | 'skipped'> {
    const notifier = dispatch.notifiers[row.channel];
    if (notifier === undefined) throw new Error(`no notifier for ${row.channel}`);
    const payload = JSON.parse(
      await dispatch.encryptor.decrypt(row.payloadCiphertext, outboxPayloadContext(row.id)),
    ) as NotificationPayload;
    if (await dispatch.optOuts.isOptedOut(row.tenantId, row.channel, payload.to)) {
      await settle(row, 'skipped', { errorCode: 'NOTIFICATION_RECIPIENT_OPTED_OUT' });
      logger.info({ notificationId: row.id, kind: row.kind }, 'notification skipped: opted out');
      return 'skipped';
    }
    const rendered = dispatch.templates.render({
      kind: row.kind,
      channel: row.channel,
      locales: payload.locales,
      variables: payload.variables,
    });
    try {
      const receipt = await notifier.send({
        id: row.id,
        channel: row.channel,
        to: payload.to,
        ...(rendered.subject === undefined ? {} : { subject: rendered.subject }),
        body: rendered.body,
      });
      await settle(row, 'sent', receipt);
      logger.info(
        { notificationId: row.id, kind: row.kind, provider: receipt.provider },
        'notification sent',
      );
      return 'sent';
    } catch (error: unknown) {
      if (errorCode(error) !== 'NOTIFICATION_RECIPIENT_OPTED_OUT') throw error;
      await dispatch.optOuts.record({
        tenantId: row.tenantId,
        channel: row.channel,
        address: payload.to,
        patientId: row.patientId ?? undefined,
        source: 'provider',
        at: clock.now(),
      });
      await settle(row, 'skipped', { errorCode: 'NOTIFICATION_RECIPIENT_OPTED_OUT' });
      logger.info(
        { notificationId: row.id, kind: row.kind },
        'notification skipped: provider reports opt-out',
      );
      return 'skipped';
    }
  }

  async function processRow(row: ClaimedNotification): Promise<DeliveryOutcome> {
    try {
      return await deliver(row);
    } catch (error: unknown) {
      const code = errorCode(error);
      // Park first, then mark: a crash in between leaves the row claimed, and the next claim
      // adds to the same letter (its id is the notification id).
      await dispatch.deadLetters.capture({
        kind: NOTIFICATION_DEAD_LETTER_KIND,
        id: row.id,
        tenantId: row.tenantId,
        payload: { notificationId: row.id },
        error,
        attempts: row.attempts,
      });
      await settle(row, 'dead', { errorCode: code });
      logger.warn(
        { notificationId: row.id, kind: row.kind, code },
        'notification parked as dead letter',
      );
      return 'dead';
    }
  }

  async function dispatchOnce(): Promise<DispatchReport> {
    const now = clock.now();
    const rows = await deliveries.claimDue({
      channels,
      limit: batchSize,
      now,
      leaseUntil: now + leaseMs,
    });
    let sent = 0;
    let skipped = 0;
    let deadLettered = 0;
    for (const row of rows) {
      const outcome = await processRow(row);
      if (outcome === 'sent') sent += 1;
      else if (outcome === 'skipped') skipped += 1;
      else deadLettered += 1;
    }
    return { claimed: rows.length, sent, skipped, deadLettered };
  }

  // A background timer: see start().
  function schedule(delayMs: number): void {
    if (!running) return;
    timer = clock.setTimeout(
      () => {
        timer = undefined;
        round = dispatchOnce().then(
          (report) => schedule(report.claimed >= batchSize ? 0 : pollIntervalMs),
          (error: unknown) => {
            logger.error({ code: errorCode(error) }, 'outbox round failed');
            schedule(pollIntervalMs);
          },
        );
      },
      delayMs,
      { background: true },
    );
  }

  async function redeliver(notificationId: string): Promise<void> {
    const now = clock.now();
    const row = await deliveries.reclaimDead(notificationId, now + leaseMs, now);
    // Already sent (or skipped) by an earlier replay or another dispatcher: nothing to do.
    if (row === undefined) return;
    try {
      await deliver(row);
    } catch (error: unknown) {
      await settle(row, 'dead', { errorCode: errorCode(error) });
      throw error;
    }
  }

  return {
    dispatchOnce,
    start() {
      if (running) return;
      running = true;
      schedule(0);
    },
    async stop() {
      running = false;
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
      await round;
    },
    async replayDeadLetters(replayOptions = {}) {
      parseArguments(
        replayArguments,
        { options: replayOptions },
        'OutboxDispatcher.replayDeadLetters',
      );
      return dispatch.deadLetters.replay(
        async (payload) => redeliver((payload as { notificationId: string }).notificationId),
        { kind: NOTIFICATION_DEAD_LETTER_KIND, ...replayOptions },
      );
    },
  };
}
