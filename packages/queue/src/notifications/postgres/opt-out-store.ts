import { z } from 'zod';
import type { BlindIndex } from '@carequeue/core/crypto';
import type { SqlExecutor } from '@carequeue/core/sql';
import type { NotificationChannel } from '../notifier.js';
import type { OptOutStore } from '../ports/opt-out-store.js';
import { normalizeAddress } from '../opt-out-address.js';
import { checkedOptOutStore } from '../checked-notification-ports.js';
import {
  checkFactoryOptions,
  executorOption,
  functionOption,
} from '../../config/factory-options.js';

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
