/**
 * The Twilio SMS adapter of the {@link Notifier} port, over Twilio's REST API with `fetch`.
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
import { checkFactoryOptions, functionOption } from '../../config/factory-options.js';

/**
 * Options of {@link twilioSmsNotifier}. Give exactly one of `from` and `messagingServiceSid`.
 *
 * @example
 * ```ts
 * const options: TwilioSmsNotifierOptions = {
 *   accountSid: 'AC0123456789abcdef0123456789abcdef',
 *   authToken: process.env.TWILIO_AUTH_TOKEN!,
 *   messagingServiceSid: 'MG0123456789abcdef0123456789abcdef',
 * };
 * ```
 */
export interface TwilioSmsNotifierOptions {
  readonly accountSid: string;
  /** The account's auth token, or the secret of `apiKeySid`. */
  readonly authToken: string;
  /** An API key sid to authenticate with instead of the account sid. */
  readonly apiKeySid?: string;
  /** The sending number in E.164 form. */
  readonly from?: string;
  /** A messaging service sid (`MG...`), which picks the sender and handles STOP replies. */
  readonly messagingServiceSid?: string;
  /** Where Twilio posts delivery status updates. */
  readonly statusCallback?: string;
  /** @default 'https://api.twilio.com' */
  readonly baseUrl?: string;
  /** @default globalThis.fetch */
  readonly fetch?: typeof globalThis.fetch;
}

const PROVIDER = 'twilio';
// Twilio codes for a number that cannot receive SMS: invalid, not mobile, unreachable region.
const INVALID_RECIPIENT_CODES = new Set([21211, 21214, 21217, 21219, 21407, 21408, 21612, 21614]);
const OPTED_OUT_CODES = new Set([21610]);
const RATE_LIMIT_CODES = new Set([20429, 14107, 30001]);

interface TwilioError {
  readonly code?: unknown;
}

function classify(status: number, body: TwilioError | undefined): NotificationDeliveryErrorCode {
  const code = typeof body?.code === 'number' ? body.code : undefined;
  if (code !== undefined && OPTED_OUT_CODES.has(code)) return 'NOTIFICATION_RECIPIENT_OPTED_OUT';
  if (code !== undefined && INVALID_RECIPIENT_CODES.has(code))
    return 'NOTIFICATION_RECIPIENT_INVALID';
  if (status === 429 || status >= 500 || (code !== undefined && RATE_LIMIT_CODES.has(code))) {
    return 'NOTIFICATION_PROVIDER_UNAVAILABLE';
  }
  return 'NOTIFICATION_PROVIDER_REJECTED';
}

function retryAfterMs(response: Response): number | undefined {
  const header = response.headers.get('retry-after');
  if (header === null) return undefined;
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}

/** A Twilio SID (`AC...`, `SK...`, `MG...`): letters and digits, as it goes into a URL path. */
const TwilioSid = z.string().regex(/^[A-Za-z0-9]{1,64}$/);

const TwilioSmsNotifierOptionsSchema = z
  .object({
    accountSid: TwilioSid,
    authToken: z.string().min(1).max(256),
    apiKeySid: TwilioSid.optional(),
    from: z.string().min(1).max(64).optional(),
    messagingServiceSid: TwilioSid.optional(),
    statusCallback: z.url().optional(),
    baseUrl: z.url().optional(),
    fetch: functionOption().optional(),
  })
  .refine(
    (options) => (options.from === undefined) !== (options.messagingServiceSid === undefined),
    {
      message: 'must give exactly one of from and messagingServiceSid',
    },
  );

/**
 * A {@link Notifier} that sends SMS through Twilio's Messages resource:
 * `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`, form-encoded `To`, `Body` and `From` or
 * `MessagingServiceSid`, with HTTP basic authentication. The receipt carries the message `sid`.
 *
 * Twilio's error codes map to {@link NotificationDeliveryError} codes: 21610 (the recipient
 * replied STOP) to `NOTIFICATION_RECIPIENT_OPTED_OUT`, 21211 and other undeliverable-number codes
 * to `NOTIFICATION_RECIPIENT_INVALID`, 20429, HTTP 429 and 5xx to the transient
 * `NOTIFICATION_PROVIDER_UNAVAILABLE` (with `Retry-After` honoured), network failures to
 * `NOTIFICATION_PROVIDER_UNREACHABLE`, anything else to `NOTIFICATION_PROVIDER_REJECTED`.
 * Twilio's error text is dropped because it quotes the phone number.
 *
 * @throws NotificationDeliveryError (from `send`) as described; an aborted call rejects with the signal's reason.
 * @throws TypeError (at creation) when neither or both of `from` and `messagingServiceSid` are given.
 * @example
 * ```ts
 * import { twilioSmsNotifier } from '@carequeue/queue/twilio';
 *
 * const sms = twilioSmsNotifier({ accountSid, authToken, from: '+14155550199' });
 * const { providerMessageId } = await sms.send({ id, channel: 'sms', to: '+14155550100', body });
 * ```
 */
export function twilioSmsNotifier(options: TwilioSmsNotifierOptions): Notifier {
  checkFactoryOptions('twilioSmsNotifier', TwilioSmsNotifierOptionsSchema, options);
  const send = options.fetch ?? globalThis.fetch;
  const base = (options.baseUrl ?? 'https://api.twilio.com').replace(/\/+$/, '');
  const url = `${base}/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}/Messages.json`;
  const user = options.apiKeySid ?? options.accountSid;
  const authorization = `Basic ${Buffer.from(`${user}:${options.authToken}`).toString('base64')}`;

  return checkedNotifier({
    channel: 'sms',
    provider: PROVIDER,
    async send(message: OutgoingMessage, callOptions?: SendOptions): Promise<DeliveryReceipt> {
      const form = new URLSearchParams({ To: message.to, Body: message.body });
      if (options.from !== undefined) form.set('From', options.from);
      if (options.messagingServiceSid !== undefined) {
        form.set('MessagingServiceSid', options.messagingServiceSid);
      }
      if (options.statusCallback !== undefined) form.set('StatusCallback', options.statusCallback);
      const signal = callOptions?.signal;
      let response: Response;
      try {
        response = await send(url, {
          method: 'POST',
          headers: {
            authorization,
            accept: 'application/json',
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: form.toString(),
          signal,
        });
      } catch (error: unknown) {
        if (signal?.aborted === true) throw signal.reason;
        throw new NotificationDeliveryError(PROVIDER, 'NOTIFICATION_PROVIDER_UNREACHABLE', {
          cause: error,
        });
      }
      const body = await readJson(response);
      if (!response.ok) {
        const details =
          typeof body === 'object' && body !== null ? (body as TwilioError) : undefined;
        throw new NotificationDeliveryError(PROVIDER, classify(response.status, details), {
          providerCode: typeof details?.code === 'number' ? String(details.code) : undefined,
          upstreamStatus: response.status,
          retryAfterMs: retryAfterMs(response),
        });
      }
      const sid =
        typeof body === 'object' && body !== null ? (body as { sid?: unknown }).sid : undefined;
      if (typeof sid !== 'string' || sid.length === 0) {
        // Accepted but unreadable: treat as rejected rather than risk a duplicate by retrying.
        throw new NotificationDeliveryError(PROVIDER, 'NOTIFICATION_PROVIDER_REJECTED', {
          upstreamStatus: response.status,
        });
      }
      return { provider: PROVIDER, providerMessageId: sid };
    },
  });
}
