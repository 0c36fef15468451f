/**
 * The SMTP email adapter of the {@link Notifier} port, over a nodemailer transport.
 *
 * @packageDocumentation
 */
import { z } from 'zod';
import {
  NotificationDeliveryError,
  type NotificationDeliveryErrorCode,
} from '../notification-delivery-error.js';
import type { DeliveryReceipt, Notifier, OutgoingMessage, SendOptions } from '../notifier.js';
import { checkedNotifier } from '../checked-notification-ports.js';
import { checkFactoryOptions, portOption } from '../../config/factory-options.js';

/**
 * The part of a nodemailer `Transporter` the adapter uses; `nodemailer.createTransport(...)`
 * satisfies it.
 *
 * @example
 * ```ts
 * import nodemailer from 'nodemailer';
 *
 * const transport: SmtpTransportLike = nodemailer.createTransport({ host: 'smtp.example.org', port: 587 });
 * ```
 */
export interface SmtpTransportLike {
  sendMail(mail: {
    from: string;
    to: string;
    subject: string;
    text: string;
    messageId?: string;
    headers?: Record<string, string>;
  }): Promise<{ messageId?: string; rejected?: readonly unknown[] }>;
}

/**
 * Options of {@link smtpEmailNotifier}.
 *
 * @example
 * ```ts
 * const options: SmtpEmailNotifierOptions = { transport, from: 'Riverside Clinic <no-reply@riverside.example>' };
 * ```
 */
export interface SmtpEmailNotifierOptions {
  /** A transport the host built, such as `nodemailer.createTransport({ host, port, auth })`. */
  readonly transport: SmtpTransportLike;
  /** The sender, such as `Clinic <no-reply@clinic.example>`. */
  readonly from: string;
  /** The domain of generated `Message-ID`s. @default the domain of `from` */
  readonly messageIdDomain?: string;
}

const PROVIDER = 'smtp';
const NETWORK_CODES = new Set([
  'ECONNECTION',
  'ETIMEDOUT',
  'ESOCKET',
  'EDNS',
  'ECONNREFUSED',
  'ECONNRESET',
]);

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)[name]
    : undefined;
}

function classify(error: unknown): { code: NotificationDeliveryErrorCode; reply?: number } {
  const reply = field(error, 'responseCode');
  if (typeof reply === 'number') {
    // 550/551/553 say the mailbox does not exist or the address is malformed; other 5xx replies
    // reject the message itself; 4xx replies are temporary by definition (RFC 5321 4.2.1).
    if (reply === 550 || reply === 551 || reply === 553) {
      return { code: 'NOTIFICATION_RECIPIENT_INVALID', reply };
    }
    if (reply >= 400 && reply < 500) return { code: 'NOTIFICATION_PROVIDER_UNAVAILABLE', reply };
    return { code: 'NOTIFICATION_PROVIDER_REJECTED', reply };
  }
  const code = field(error, 'code');
  if (typeof code === 'string' && NETWORK_CODES.has(code)) {
    return { code: 'NOTIFICATION_PROVIDER_UNREACHABLE' };
  }
  return { code: 'NOTIFICATION_PROVIDER_REJECTED' };
}

function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

function domainOf(from: string): string {
  const match = /@([^>\s]+)>?\s*$/.exec(from);
  return match?.[1] ?? 'carequeue.invalid';
}

const SmtpEmailNotifierOptionsSchema = z.object({
  transport: portOption('a nodemailer transport', ['sendMail']),
  from: z.string().min(1).max(998),
  messageIdDomain: z.string().min(1).max(253).optional(),
});

/**
 * A {@link Notifier} that sends plain-text email over SMTP through a nodemailer transport. Each
 * message gets the `Message-ID` `<notification id@domain>`, which is also the receipt's provider
 * id, so a delivery can be matched with the outbox row. SMTP replies map to
 * {@link NotificationDeliveryError} codes: 550/551/553 to `NOTIFICATION_RECIPIENT_INVALID`, other
 * 5xx to `NOTIFICATION_PROVIDER_REJECTED`, 4xx to the transient `NOTIFICATION_PROVIDER_UNAVAILABLE`
 * and connection failures to `NOTIFICATION_PROVIDER_UNREACHABLE`. The server's reply text, which
 * may quote the address, is dropped.
 *
 * @throws NotificationDeliveryError (from `send`) as described; an aborted call rejects with the signal's reason.
 * @example
 * ```ts
 * import nodemailer from 'nodemailer';
 * import { smtpEmailNotifier } from '@carequeue/queue/smtp';
 *
 * const email = smtpEmailNotifier({
 *   transport: nodemailer.createTransport({ host: 'smtp.example.org', port: 587, auth: { user, pass } }),
 *   from: 'Riverside Clinic <no-reply@riverside.example>',
 * });
 * await email.send({ id, channel: 'email', to: 'pat@example.org', subject: 'Your booking', body });
 * ```
 */
export function smtpEmailNotifier(options: SmtpEmailNotifierOptions): Notifier {
  checkFactoryOptions('smtpEmailNotifier', SmtpEmailNotifierOptionsSchema, options);
  const domain = options.messageIdDomain ?? domainOf(options.from);
  return checkedNotifier({
    channel: 'email',
    provider: PROVIDER,
    async send(message: OutgoingMessage, callOptions?: SendOptions): Promise<DeliveryReceipt> {
      const signal = callOptions?.signal;
      if (signal?.aborted === true) throw signal.reason;
      const messageId = `<${message.id}@${domain}>`;
      let info: { messageId?: string; rejected?: readonly unknown[] };
      try {
        info = await options.transport.sendMail({
          from: options.from,
          to: message.to,
          subject: message.subject ?? '',
          text: message.body,
          messageId,
        });
      } catch (error: unknown) {
        if (isAborted(signal)) throw (signal as AbortSignal).reason;
        const { code, reply } = classify(error);
        // The driver error is not kept as cause: its text quotes the recipient address.
        throw new NotificationDeliveryError(PROVIDER, code, {
          providerCode: reply === undefined ? undefined : String(reply),
        });
      }
      if ((info.rejected?.length ?? 0) > 0) {
        throw new NotificationDeliveryError(PROVIDER, 'NOTIFICATION_RECIPIENT_INVALID');
      }
      return { provider: PROVIDER, providerMessageId: info.messageId ?? messageId };
    },
  });
}
