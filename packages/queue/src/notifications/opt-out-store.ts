import { z } from 'zod';
import type { BlindIndex } from '@carequeue/core/crypto';
import type { SqlExecutor } from '@carequeue/core/sql';
import type { NotificationChannel } from './notifier.js';
import { checkedOptOutStore } from './checked-notification-ports.js';
import { checkFactoryOptions, executorOption, functionOption } from '../config/factory-options.js';

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

/**
 * Normalizes an address before hashing, so `+1 415-555-0100` and `+14155550100`, or
 * `Pat@Example.org` and `pat@example.org`, are one opt-out.
 *
 * @example
 * ```ts
 * normalizeAddress('sms', '+1 (415) 555-0100'); // '+14155550100'
 * ```
 */
export function normalizeAddress(channel: NotificationChannel, address: string): string {
  return channel === 'sms' ? address.replace(/[^\d+]/g, '') : address.trim().toLowerCase();
}

/**
 * An {@link OptOutStore} in memory, keyed by the normalized address.
 *
 * @example
 * ```ts
 * const optOuts = memoryOptOutStore();
 * await optOuts.record({ tenantId, channel: 'sms', address, source: 'patient', at: clock.now() });
 * ```
 */
export function memoryOptOutStore(): OptOutStore {
  const entries = new Set<string>();
  const key = (tenantId: string, channel: NotificationChannel, address: string): string =>
    `${tenantId}|${channel}|${normalizeAddress(channel, address)}`;
  return checkedOptOutStore({
    record(optOut) {
      entries.add(key(optOut.tenantId, optOut.channel, optOut.address));
      return Promise.resolve();
    },
    isOptedOut(tenantId, channel, address) {
      return Promise.resolve(entries.has(key(tenantId, channel, address)));
    },
    remove(tenantId, channel, address) {
      entries.delete(key(tenantId, channel, address));
      return Promise.resolve();
    },
  });
}

/**
 * Options of {@link sqlOptOutStore}.
 *
 * @example
 * ```ts
 * const options: SqlOptOutStoreOptions = { executor, blindIndex: createBlindIndex({ keyProvider }) };
 * ```
 */
export interface SqlOptOutStoreOptions {
  /** Run as service_role, or inside `withClaims` for a patient or staff member. */
  readonly executor: SqlExecutor;
  /** Keyed HMAC of the normalized address; the table never holds the address itself. */
  readonly blindIndex: BlindIndex;
}

const SqlOptOutStoreOptionsSchema = z.object({
  executor: executorOption,
  blindIndex: functionOption(),
});

/**
 * An {@link OptOutStore} on `queue.notification_opt_outs` (Postgres or PGlite), keyed by a
 * blind index of the normalized address.
 *
 * @example
 * ```ts
 * const optOuts = sqlOptOutStore({ executor: sql, blindIndex });
 * await asServiceRole(sql, (tx) => sqlOptOutStore({ executor: tx, blindIndex }).record(optOut));
 * ```
 */
export function sqlOptOutStore(options: SqlOptOutStoreOptions): OptOutStore {
  checkFactoryOptions('sqlOptOutStore', SqlOptOutStoreOptionsSchema, options);
  const index = (channel: NotificationChannel, address: string): string =>
    options.blindIndex(
      { table: 'notification_opt_outs', column: 'address' },
      normalizeAddress(channel, address),
    );
  return checkedOptOutStore({
    async record(optOut) {
      await options.executor.query(
        `INSERT INTO queue.notification_opt_outs (tenant_id, channel, address_index, patient_id, source, opted_out_at)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
        [
          optOut.tenantId,
          optOut.channel,
          index(optOut.channel, optOut.address),
          optOut.patientId ?? null,
          optOut.source,
          new Date(optOut.at),
        ],
      );
    },
    async isOptedOut(tenantId, channel, address) {
      const { rows } = await options.executor.query(
        `SELECT 1 FROM queue.notification_opt_outs
         WHERE tenant_id = $1 AND channel = $2 AND address_index = $3`,
        [tenantId, channel, index(channel, address)],
      );
      return rows.length > 0;
    },
    async remove(tenantId, channel, address) {
      await options.executor.query(
        `DELETE FROM queue.notification_opt_outs
         WHERE tenant_id = $1 AND channel = $2 AND address_index = $3`,
        [tenantId, channel, index(channel, address)],
      );
    },
  });
}
