import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { z } from 'zod';
import {
  parseArguments,
  isCarequeueError,
  silentLogger,
  systemClock,
  type Clock,
  type Logger,
  type TimerHandle,
} from '@carequeue/core';
import type { FieldEncryptor } from '@carequeue/core/crypto';
import { asServiceRole, type SqlExecutor } from '@carequeue/core/sql';
import type { DeadLetterQueue, DeadLetterReplayReport } from '@carequeue/resilience';
import type { NotificationKind, NotificationTemplates } from './notification-templates.js';
import type { NotificationChannel, Notifier } from './notifier.js';
import type { OptOutStore } from './opt-out-store.js';
import { outboxPayloadContext, type NotificationPayload } from './notification-outbox.js';
import {
  checkFactoryOptions,
  functionOption,
  loggerOption,
  portOption,
} from '../config/factory-options.js';

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
 * Options of {@link createOutboxDispatcher}.
 *
 * @example
 * ```ts
 * const options: OutboxDispatcherOptions = {
 *   executor: sql,
 *   encryptor,
 *   templates: createNotificationTemplates(),
 *   notifiers: { sms: resilientNotifier(twilioSmsNotifier(twilio)) },
 *   optOuts: (tx) => sqlOptOutStore({ executor: tx, blindIndex }),
 *   deadLetters,
 * };
 * ```
 */
export interface OutboxDispatcherOptions {
  /** The pool the dispatcher claims and records with, as service_role. */
  readonly executor: SqlExecutor;
  readonly encryptor: FieldEncryptor;
  readonly templates: NotificationTemplates;
  /** One notifier per channel; rows of a channel without one stay pending. */
  readonly notifiers: Partial<Record<NotificationChannel, Notifier>>;
  /** The opt-out store over a service_role executor. Checked before every send. */
  readonly optOuts: (executor: SqlExecutor) => OptOutStore;
  /** Where undeliverable notifications go; their payload holds the notification id only. */
  readonly deadLetters: DeadLetterQueue;
  /** @default systemClock */
  readonly clock?: Clock;
  /** @default silentLogger; lines carry ids, kinds and error codes only */
  readonly logger?: Logger;
  /** Identifies this dispatcher in `locked_by`. @default host, pid and a random suffix */
  readonly workerId?: string;
  /**
   * How long a claim lasts. A row still `sending` after it (its dispatcher died) is claimed again.
   * Keep it well above the longest send, retries included.
   *
   * @default 120000
   */
  readonly leaseMs?: number;
  /** Rows claimed per round. @default 10 */
  readonly batchSize?: number;
  /** Pause between rounds that found nothing, for {@link OutboxDispatcher.start}. @default 1000 */
  readonly pollIntervalMs?: number;
}

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

interface OutboxRow {
  readonly id: string;
  readonly tenant_id: string;
  readonly patient_id: string | null;
  readonly kind: NotificationKind;
  readonly channel: NotificationChannel;
  readonly payload_ciphertext: string;
  readonly attempts: number;
}

type Outcome = 'sent' | 'skipped' | 'dead';

const COLUMNS =
  'o.id, o.tenant_id, o.patient_id, o.kind, o.channel, o.payload_ciphertext, o.attempts';

function errorCode(error: unknown): string {
  return isCarequeueError(error) ? error.code : 'UNEXPECTED_ERROR';
}

const OutboxDispatcherOptionsSchema = z.object({
  executor: portOption('a SqlExecutor', ['query', 'transaction']),
  encryptor: portOption('a FieldEncryptor', ['decrypt']),
  templates: portOption('a NotificationTemplates', ['render']),
  notifiers: z.record(z.string(), portOption('a Notifier', ['send'])),
  optOuts: functionOption(),
  deadLetters: portOption('a DeadLetterQueue', ['capture', 'replay']),
  clock: portOption('a Clock', ['now', 'setTimeout', 'clearTimeout']).optional(),
  logger: loggerOption.optional(),
  workerId: z.string().min(1).max(200).optional(),
  leaseMs: z.int().min(1).max(86_400_000).optional(),
  batchSize: z.int().min(1).max(1000).optional(),
  pollIntervalMs: z.int().min(1).max(86_400_000).optional(),
});

/**
 * Creates the outbox dispatcher. Each round claims due rows as service_role with
 * `FOR UPDATE SKIP LOCKED` (so several dispatchers share the work), marks them `sending` with a
 * lease and commits; then, outside any transaction, it checks opt-outs, renders and sends each
 * one, and records the provider's message id. A dispatcher that dies leaves its rows `sending`;
 * when the lease runs out another claims and sends them again. So delivery is at least once, and
 * a duplicate can only follow a crash between the provider's acceptance and the record.
 *
 * A recipient that opted out is skipped (a Twilio 21610 answer records the opt-out). Any other
 * failure, after the notifier's own retries, parks the row as a dead letter holding only its id;
 * {@link OutboxDispatcher.replayDeadLetters} delivers them once the provider is back.
 *
 * @example
 * ```ts
 * import { createOutboxDispatcher } from '@carequeue/queue';
 *
 * const dispatcher = createOutboxDispatcher({ executor: sql, encryptor, templates, notifiers, optOuts, deadLetters });
 * dispatcher.start();
 * ```
 */
export function createOutboxDispatcher(options: OutboxDispatcherOptions): OutboxDispatcher {
  checkFactoryOptions('createOutboxDispatcher', OutboxDispatcherOptionsSchema, options);
  const clock = options.clock ?? systemClock;
  const logger = (options.logger ?? silentLogger).child({ component: 'outbox-dispatcher' });
  const workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const leaseMs = options.leaseMs ?? 120_000;
  const batchSize = options.batchSize ?? 10;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const channels = Object.keys(options.notifiers);
  let running = false;
  let timer: TimerHandle | undefined;
  let round: Promise<unknown> = Promise.resolve();

  function claim(): Promise<OutboxRow[]> {
    const now = new Date(clock.now());
    return asServiceRole(options.executor, async (tx) => {
      const { rows } = await tx.query<OutboxRow>(
        `WITH next AS (
           SELECT id FROM queue.notification_outbox
           WHERE channel = ANY ($4::text[])
             AND ((status = 'pending' AND available_at <= $1)
               OR (status = 'sending' AND locked_until <= $1))
           ORDER BY available_at, id
           LIMIT $2
           FOR UPDATE SKIP LOCKED)
         UPDATE queue.notification_outbox o
           SET status = 'sending', locked_by = $3, locked_until = $5, attempts = o.attempts + 1,
               updated_at = $1
         FROM next WHERE o.id = next.id
         RETURNING ${COLUMNS}`,
        [now, batchSize, workerId, channels, new Date(now.getTime() + leaseMs)],
      );
      return rows;
    });
  }

  async function finish(
    row: OutboxRow,
    status: 'sent' | 'skipped' | 'dead',
    fields: { provider?: string; providerMessageId?: string; errorCode?: string },
  ): Promise<void> {
    const now = new Date(clock.now());
    await asServiceRole(options.executor, (tx) =>
      tx.query(
        `UPDATE queue.notification_outbox
           SET status = $2, provider = coalesce($3, provider),
               provider_message_id = coalesce($4, provider_message_id),
               last_error_code = $5, sent_at = CASE WHEN $2 = 'sent' THEN $6 ELSE sent_at END,
               locked_by = NULL, locked_until = NULL, updated_at = $6
         WHERE id = $1`,
        [
          row.id,
          status,
          fields.provider ?? null,
          fields.providerMessageId ?? null,
          fields.errorCode ?? null,
          now,
        ],
      ),
    );
  }

  /** Sends one claimed row; resolves with what happened, rejects only when the send failed. */
  async function deliver(row: OutboxRow): Promise<'sent' | 'skipped'> {
    const notifier = options.notifiers[row.channel];
    if (notifier === undefined) throw new Error(`no notifier for ${row.channel}`);
    const payload = JSON.parse(
      await options.encryptor.decrypt(row.payload_ciphertext, outboxPayloadContext(row.id)),
    ) as NotificationPayload;
    const optOuts = options.optOuts(options.executor);
    if (await optOuts.isOptedOut(row.tenant_id, row.channel, payload.to)) {
      await finish(row, 'skipped', { errorCode: 'NOTIFICATION_RECIPIENT_OPTED_OUT' });
      logger.info({ notificationId: row.id, kind: row.kind }, 'notification skipped: opted out');
      return 'skipped';
    }
    const rendered = options.templates.render({
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
      await finish(row, 'sent', receipt);
      logger.info(
        { notificationId: row.id, kind: row.kind, provider: receipt.provider },
        'notification sent',
      );
      return 'sent';
    } catch (error: unknown) {
      if (errorCode(error) !== 'NOTIFICATION_RECIPIENT_OPTED_OUT') throw error;
      await asServiceRole(options.executor, (tx) =>
        options.optOuts(tx).record({
          tenantId: row.tenant_id,
          channel: row.channel,
          address: payload.to,
          patientId: row.patient_id ?? undefined,
          source: 'provider',
          at: clock.now(),
        }),
      );
      await finish(row, 'skipped', { errorCode: 'NOTIFICATION_RECIPIENT_OPTED_OUT' });
      logger.info(
        { notificationId: row.id, kind: row.kind },
        'notification skipped: provider reports opt-out',
      );
      return 'skipped';
    }
  }

  async function processRow(row: OutboxRow): Promise<Outcome> {
    try {
      return await deliver(row);
    } catch (error: unknown) {
      const code = errorCode(error);
      // Park first, then mark: a crash in between leaves the row claimed, and the next claim
      // adds to the same letter (its id is the notification id).
      await options.deadLetters.capture({
        kind: NOTIFICATION_DEAD_LETTER_KIND,
        id: row.id,
        tenantId: row.tenant_id,
        payload: { notificationId: row.id },
        error,
        attempts: row.attempts,
      });
      await finish(row, 'dead', { errorCode: code });
      logger.warn(
        { notificationId: row.id, kind: row.kind, code },
        'notification parked as dead letter',
      );
      return 'dead';
    }
  }

  async function dispatchOnce(): Promise<DispatchReport> {
    const rows = await claim();
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
    const now = new Date(clock.now());
    const rows = await asServiceRole(options.executor, async (tx) => {
      const result = await tx.query<OutboxRow & { status: string }>(
        `UPDATE queue.notification_outbox o
           SET status = 'sending', locked_by = $2, locked_until = $3, attempts = o.attempts + 1,
               updated_at = $4
         WHERE o.id = $1 AND o.status = 'dead'
         RETURNING ${COLUMNS}`,
        [notificationId, workerId, new Date(now.getTime() + leaseMs), now],
      );
      return result.rows;
    });
    const row = rows[0];
    // Already sent (or skipped) by an earlier replay or another dispatcher: nothing to do.
    if (row === undefined) return;
    try {
      await deliver(row);
    } catch (error: unknown) {
      await finish(row, 'dead', { errorCode: errorCode(error) });
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
      return options.deadLetters.replay(
        async (payload) => redeliver((payload as { notificationId: string }).notificationId),
        { kind: NOTIFICATION_DEAD_LETTER_KIND, ...replayOptions },
      );
    },
  };
}
