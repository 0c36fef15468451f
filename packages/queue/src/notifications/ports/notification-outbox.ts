import type { SqlExecutor } from '@carequeue/core/sql';
import type { NotificationKind, TemplateVariables } from '../notification-templates.js';
import type { NotificationChannel } from '../notifier.js';

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
