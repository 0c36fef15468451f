import type { NotificationChannel } from '../notifier.js';

/**
 * Who or what recorded an opt-out: a STOP reply, the provider refusing (Twilio 21610), the
 * patient in the app, or staff.
 *
 * @example
 * ```ts
 * const source: OptOutSource = 'stop_keyword';
 * ```
 */
export type OptOutSource = 'stop_keyword' | 'provider' | 'patient' | 'staff';

/**
 * One opt-out to record. The address is contact data: stores keep only a keyed hash of it.
 *
 * @example
 * ```ts
 * const optOut: OptOut = { tenantId, channel: 'sms', address: '+14155550100', source: 'stop_keyword', at: clock.now() };
 * ```
 */
export interface OptOut {
  readonly tenantId: string;
  readonly channel: NotificationChannel;
  readonly address: string;
  readonly patientId?: string | undefined;
  readonly source: OptOutSource;
  readonly at: number;
}

/**
 * Where opt-outs are kept. `record` is idempotent; `remove` is for a START reply.
 *
 * @example
 * ```ts
 * if (await optOuts.isOptedOut(tenantId, 'sms', phone)) return;
 * ```
 */
export interface OptOutStore {
  record(optOut: OptOut): Promise<void>;
  isOptedOut(tenantId: string, channel: NotificationChannel, address: string): Promise<boolean>;
  remove(tenantId: string, channel: NotificationChannel, address: string): Promise<void>;
}
