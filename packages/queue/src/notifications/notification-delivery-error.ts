import { ExternalServiceError, type CarequeueErrorOptions } from '@carequeue/core';

/**
 * Why a provider did not accept a message.
 *
 * - `NOTIFICATION_RECIPIENT_INVALID`: the address is not deliverable (Twilio 21211, SMTP 550/553).
 * - `NOTIFICATION_RECIPIENT_OPTED_OUT`: the recipient replied STOP (Twilio 21610); record the opt-out.
 * - `NOTIFICATION_PROVIDER_REJECTED`: the provider refused the request for another reason.
 * - `NOTIFICATION_PROVIDER_UNAVAILABLE`: rate limited or failing (Twilio 20429, 429, 5xx; SMTP 4xx).
 * - `NOTIFICATION_PROVIDER_UNREACHABLE`: the request never got an answer.
 *
 * @example
 * ```ts
 * const code: NotificationDeliveryErrorCode = 'NOTIFICATION_RECIPIENT_OPTED_OUT';
 * ```
 */
export type NotificationDeliveryErrorCode =
  | 'NOTIFICATION_RECIPIENT_INVALID'
  | 'NOTIFICATION_RECIPIENT_OPTED_OUT'
  | 'NOTIFICATION_PROVIDER_REJECTED'
  | 'NOTIFICATION_PROVIDER_UNAVAILABLE'
  | 'NOTIFICATION_PROVIDER_UNREACHABLE';

const MESSAGES: Readonly<Record<NotificationDeliveryErrorCode, string>> = {
  NOTIFICATION_RECIPIENT_INVALID:
    'The provider says the recipient address is not deliverable. Ask the patient to correct their contact details.',
  NOTIFICATION_RECIPIENT_OPTED_OUT:
    'The recipient has opted out of messages on this channel. The opt-out is recorded; use another channel or ask the patient to reply START.',
  NOTIFICATION_PROVIDER_REJECTED:
    'The provider rejected the message request. Check the provider credentials, sender and account settings.',
  NOTIFICATION_PROVIDER_UNAVAILABLE:
    'The provider is rate limiting or failing. The message is retried, then parked as a dead letter for replay.',
  NOTIFICATION_PROVIDER_UNREACHABLE:
    'The provider could not be reached. The message is retried, then parked as a dead letter for replay.',
};

const TRANSIENT: ReadonlySet<NotificationDeliveryErrorCode> = new Set([
  'NOTIFICATION_PROVIDER_UNAVAILABLE',
  'NOTIFICATION_PROVIDER_UNREACHABLE',
]);

/**
 * A provider did not accept a message. The message names the provider and what to do; it never
 * carries the address, the body or the provider's own error text (which often quotes the number).
 * The provider's numeric code (such as Twilio's 21211) is in `providerCode`.
 *
 * @example
 * ```ts
 * import { NotificationDeliveryError } from '@carequeue/queue';
 *
 * const err = new NotificationDeliveryError('twilio', 'NOTIFICATION_RECIPIENT_OPTED_OUT', { providerCode: '21610' });
 * err.transient; // false
 * ```
 */
export class NotificationDeliveryError extends ExternalServiceError {
  override readonly code: NotificationDeliveryErrorCode;
  /** The provider's error code, such as `21211` (Twilio) or `550` (SMTP). */
  readonly providerCode: string | undefined;
  /** The HTTP status the provider answered with, when there was one. */
  readonly upstreamStatus: number | undefined;
  /** How long the provider asked us to wait, when it said so. */
  readonly retryAfterMs: number | undefined;

  constructor(
    provider: string,
    code: NotificationDeliveryErrorCode,
    options?: CarequeueErrorOptions & {
      providerCode?: string | undefined;
      upstreamStatus?: number | undefined;
      retryAfterMs?: number | undefined;
    },
  ) {
    super(provider, MESSAGES[code], { ...options, code, transient: TRANSIENT.has(code) });
    this.code = code;
    this.providerCode = options?.providerCode;
    this.upstreamStatus = options?.upstreamStatus;
    this.retryAfterMs = options?.retryAfterMs;
  }
}
