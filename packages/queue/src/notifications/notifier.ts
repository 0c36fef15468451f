/**
 * The `Notifier` port: one outgoing message to one address over one channel.
 *
 * @packageDocumentation
 */

/**
 * How a message travels: a text message or an email.
 *
 * @example
 * ```ts
 * const channel: NotificationChannel = 'sms';
 * ```
 */
export type NotificationChannel = 'sms' | 'email';

/**
 * One rendered message ready for a provider. `to` is contact data (PHI): it goes to the provider
 * and nowhere else (never into errors, logs, events or dead letters).
 *
 * @example
 * ```ts
 * const message: OutgoingMessage = {
 *   id: notificationId,
 *   channel: 'sms',
 *   to: '+14155550100',
 *   body: 'Riverside Clinic: you are next. Please be ready. Reply STOP to opt out.',
 * };
 * ```
 */
export interface OutgoingMessage {
  /** The notification id; adapters may pass it to the provider as an idempotency hint. */
  readonly id: string;
  readonly channel: NotificationChannel;
  /** E.164 phone number for `sms`, email address for `email`. */
  readonly to: string;
  /** Email subject; ignored by SMS adapters. */
  readonly subject?: string;
  readonly body: string;
}

/**
 * What a provider answered when it accepted a message.
 *
 * @example
 * ```ts
 * const receipt: DeliveryReceipt = { provider: 'twilio', providerMessageId: 'SM0123456789abcdef0123456789abcdef' };
 * ```
 */
export interface DeliveryReceipt {
  /** Which provider accepted it, such as `twilio` or `smtp`. */
  readonly provider: string;
  /** The provider's id of the message (Twilio `sid`, SMTP `Message-ID`). */
  readonly providerMessageId: string;
}

/**
 * Options of one {@link Notifier.send} call.
 *
 * @example
 * ```ts
 * const options: SendOptions = { signal: AbortSignal.timeout(10_000) };
 * ```
 */
export interface SendOptions {
  /** Cancels the call. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Sends messages over one channel. Adapters throw {@link NotificationDeliveryError} with a code
 * saying whether retrying can help; they never put the address or the body in an error.
 *
 * @example
 * ```ts
 * const sms: Notifier = twilioSmsNotifier({ accountSid, authToken, from: '+14155550199' });
 * const receipt = await sms.send({ id, channel: 'sms', to, body });
 * ```
 */
export interface Notifier {
  /** The channel this notifier sends on. */
  readonly channel: NotificationChannel;
  /** The provider name recorded with each delivery, such as `twilio`. */
  readonly provider: string;
  /**
   * Hands one message to the provider and resolves once the provider accepted it.
   *
   * @throws NotificationDeliveryError when the provider refused it or could not be reached.
   */
  send(message: OutgoingMessage, options?: SendOptions): Promise<DeliveryReceipt>;
}
