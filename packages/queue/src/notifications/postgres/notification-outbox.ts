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
import type { NotificationOutbox } from '../ports/notification-outbox.js';
import { outboxPayloadContext, type NotificationPayload } from '../outbox-payload.js';
import { ExecutorArgument } from '../../arguments/common-arguments.js';
import { NewNotificationArgument } from '../notification-arguments.js';
import { checkFactoryOptions, clockOption, portOption } from '../../config/factory-options.js';

const enqueueArguments = z.object({ tx: ExecutorArgument, notification: NewNotificationArgument });

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
 * import { createNotificationOutbox } from '@carequeue/queue/postgres';
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
