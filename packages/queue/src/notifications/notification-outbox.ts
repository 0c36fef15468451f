import { z } from 'zod';
import {
  parseArguments,
  systemClock,
  systemIdGenerator,
  type Clock,
  type IdGenerator,
} from '@carequeue/core';
import type { FieldEncryptor } from '@carequeue/core/crypto';
import { UniqueViolationError, type SqlExecutor } from '@carequeue/core/sql';
import type { NotificationKind, TemplateVariables } from './notification-templates.js';
import type { NotificationChannel } from './notifier.js';
import { ExecutorArgument } from '../arguments/common-arguments.js';
import { NewNotificationArgument } from './notification-arguments.js';
import { checkFactoryOptions, clockOption, portOption } from '../config/factory-options.js';

const enqueueArguments = z.object({ tx: ExecutorArgument, notification: NewNotificationArgument });

/**
 * A notification to send once the surrounding transaction commits.
 *
 * @example
 * ```ts
 * const notification: NewNotification = {
 *   tenantId, clinicId, patientId,
 *   kind: 'queue.called',
 *   channel: 'sms',
 *   to: patient.phone,
 *   locales: [patient.locale, clinic.locale],
 *   variables: { clinicName: clinic.name, ticket: 'A-017', counter: 'Room 3' },
 *   dedupeKey: `queue.called:${entryId}:${recallCount}`,
 * };
 * ```
 */
export interface NewNotification {
  readonly tenantId: string;
  readonly clinicId?: string | undefined;
  readonly patientId?: string | undefined;
  readonly kind: NotificationKind;
  readonly channel: NotificationChannel;
  /** Phone number or email address; stored only inside the encrypted payload. */
  readonly to: string;
  /** Preferred locales, first the patient's, then the clinic's default. */
  readonly locales: readonly (string | undefined)[];
  readonly variables: TemplateVariables;
  /**
   * Makes enqueueing idempotent per tenant: a second notification with the same key is dropped,
   * so a rule that fires again for the same fact sends nothing new.
   */
  readonly dedupeKey: string;
  /** Not before this time. @default now */
  readonly availableAt?: number;
}

/**
 * The decrypted payload of an outbox row.
 *
 * @example
 * ```ts
 * const payload: NotificationPayload = { to, locales: ['en'], variables: { clinicName: 'Riverside' } };
 * ```
 */
export interface NotificationPayload {
  readonly to: string;
  readonly locales: readonly (string | undefined)[];
  readonly variables: TemplateVariables;
}

/**
 * Options of {@link createNotificationOutbox}.
 *
 * @example
 * ```ts
 * const options: NotificationOutboxOptions = { encryptor, clock };
 * ```
 */
export interface NotificationOutboxOptions {
  /** Encrypts the payload (address, locales, variables) bound to the row. */
  readonly encryptor: FieldEncryptor;
  /** @default systemClock */
  readonly clock?: Clock;
  /** @default systemIdGenerator (UUIDv7) */
  readonly ids?: IdGenerator;
}

/**
 * Writes notifications into `queue.notification_outbox` inside the caller's transaction. Only
 * workers write the outbox (migration 0014): enqueue in a transaction run as service_role, such
 * as a job handler's, never under an end user's claims. A change made under the user's claims
 * schedules a job in its own transaction, and the job enqueues the notification.
 *
 * @example
 * ```ts
 * await asServiceRole(sql, async (tx) => {
 *   await outbox.enqueue(tx, notification);
 * });
 * ```
 */
export interface NotificationOutbox {
  /**
   * Inserts the notification with `tx`, the transaction of the change it reports, so it exists
   * only if that change commits. Resolves to the new row id, or `undefined` when a notification
   * with the same dedupe key already exists.
   *
   * @throws ValidationError naming the field when an argument is invalid: ids that are not UUIDs,
   * an unknown kind or channel, a dedupe key that is empty, longer than 200 characters or not one
   * line, unknown template variables.
   */
  enqueue(tx: SqlExecutor, notification: NewNotification): Promise<string | undefined>;
}

/**
 * The encryption context of an outbox payload: bound to the table, column and row, so a
 * ciphertext copied to another row does not decrypt.
 *
 * @example
 * ```ts
 * await encryptor.decrypt(row.payload_ciphertext, outboxPayloadContext(row.id));
 * ```
 */
export function outboxPayloadContext(id: string): { table: string; column: string; rowId: string } {
  return { table: 'queue.notification_outbox', column: 'payload', rowId: id };
}

const NotificationOutboxOptionsSchema = z.object({
  encryptor: portOption('a FieldEncryptor', ['encrypt']),
  clock: clockOption.optional(),
  ids: portOption('an IdGenerator', ['next']).optional(),
});

/**
 * Creates the transactional outbox writer. Contact data only ever sits in the encrypted payload;
 * the columns hold ids, the kind, the channel and the dedupe key.
 *
 * @example
 * ```ts
 * import { createNotificationOutbox } from '@carequeue/queue';
 *
 * const outbox = createNotificationOutbox({ encryptor });
 * await sql.transaction((tx) => outbox.enqueue(tx, notification));
 * ```
 */
export function createNotificationOutbox(options: NotificationOutboxOptions): NotificationOutbox {
  checkFactoryOptions('createNotificationOutbox', NotificationOutboxOptionsSchema, options);
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? systemIdGenerator;
  return {
    async enqueue(tx, notification) {
      parseArguments(enqueueArguments, { tx, notification }, 'NotificationOutbox.enqueue');
      const id = ids.next();
      const payload: NotificationPayload = {
        to: notification.to,
        locales: notification.locales,
        variables: notification.variables,
      };
      const ciphertext = await options.encryptor.encrypt(
        JSON.stringify(payload),
        outboxPayloadContext(id),
      );
      const now = new Date(clock.now());
      const insert = (savepoint: SqlExecutor) =>
        savepoint.query(
          `INSERT INTO queue.notification_outbox
           (id, tenant_id, clinic_id, patient_id, kind, channel, dedupe_key, payload_ciphertext,
            available_at, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)`,
          [
            id,
            notification.tenantId,
            notification.clinicId ?? null,
            notification.patientId ?? null,
            notification.kind,
            notification.channel,
            notification.dedupeKey,
            ciphertext,
            notification.availableAt === undefined ? now : new Date(notification.availableAt),
            now,
          ],
        );
      try {
        // A savepoint, because the request roles cannot read the outbox and ON CONFLICT would
        // need to: a duplicate key fails the insert and leaves the caller's transaction usable.
        await tx.transaction(insert);
      } catch (error: unknown) {
        if (error instanceof UniqueViolationError) return undefined;
        throw error;
      }
      return id;
    },
  };
}
