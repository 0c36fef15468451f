import { z } from 'zod';
import { parseArguments } from '@carequeue/core';
import { InboundSmsArgument } from './notification-arguments.js';
import type { OptOutStore } from './ports/opt-out-store.js';

const inboundSmsArguments = z.object({
  optOuts: z.custom<OptOutStore>(
    (value) =>
      typeof value === 'object' &&
      value !== null &&
      typeof (value as Partial<OptOutStore>).record === 'function',
    { message: 'must be an OptOutStore' },
  ),
  sms: InboundSmsArgument,
});

/**
 * What an inbound SMS asked for: to stop messages, to start them again, or nothing we act on.
 *
 * @example
 * ```ts
 * const action: InboundSmsAction = 'opted-out';
 * ```
 */
export type InboundSmsAction = 'opted-out' | 'opted-in' | 'ignored';

/**
 * One inbound SMS as the provider's webhook delivers it (Twilio posts `From` and `Body`).
 *
 * @example
 * ```ts
 * const sms: InboundSms = { tenantId, from: form.get('From')!, body: form.get('Body')!, at: clock.now() };
 * ```
 */
export interface InboundSms {
  readonly tenantId: string;
  /** The sender's number; used for the opt-out's blind index only. */
  readonly from: string;
  readonly body: string;
  readonly at: number;
  /** The patient the number belongs to, when the host knows it. */
  readonly patientId?: string | undefined;
}

// The opt-out and opt-in keywords carriers and Twilio's Advanced Opt-Out recognize.
const STOP_WORDS = new Set([
  'STOP',
  'STOPALL',
  'UNSUBSCRIBE',
  'CANCEL',
  'END',
  'QUIT',
  'OPTOUT',
  'REVOKE',
]);
const START_WORDS = new Set(['START', 'UNSTOP', 'YES', 'OPTIN']);

/**
 * Records what an inbound SMS asks for: a STOP keyword (STOP, UNSUBSCRIBE, CANCEL, END, QUIT, ...)
 * records an opt-out for the number (source `stop_keyword`), a START keyword (START, UNSTOP, YES)
 * removes it. The keyword must be the whole message, ignoring case, spaces and punctuation, as
 * carriers require; anything else is ignored. Nothing of the message is stored or logged.
 *
 * @throws `ValidationError` naming the field, before the store is called, when the tenant or
 * patient id is not a UUID, the number is not one line or the body is longer than 1,600
 * characters.
 * @example
 * ```ts
 * import { handleInboundSms } from '@carequeue/queue';
 * import { sqlOptOutStore } from '@carequeue/queue/postgres';
 *
 * // in the Twilio webhook route, after verifying X-Twilio-Signature
 * const action = await asServiceRole(sql, (tx) =>
 *   handleInboundSms(sqlOptOutStore({ executor: tx, blindIndex }), { tenantId, from, body, at: Date.now() }),
 * );
 * ```
 */
export async function handleInboundSms(
  optOuts: OptOutStore,
  sms: InboundSms,
): Promise<InboundSmsAction> {
  parseArguments(inboundSmsArguments, { optOuts, sms }, 'handleInboundSms');
  const keyword = sms.body
    .trim()
    .toUpperCase()
    .replace(/[^A-Z]/g, '');
  if (STOP_WORDS.has(keyword)) {
    await optOuts.record({
      tenantId: sms.tenantId,
      channel: 'sms',
      address: sms.from,
      patientId: sms.patientId,
      source: 'stop_keyword',
      at: sms.at,
    });
    return 'opted-out';
  }
  if (START_WORDS.has(keyword)) {
    await optOuts.remove(sms.tenantId, 'sms', sms.from);
    return 'opted-in';
  }
  return 'ignored';
}
