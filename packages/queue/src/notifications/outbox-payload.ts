import type { TemplateVariables } from './notification-templates.js';

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
