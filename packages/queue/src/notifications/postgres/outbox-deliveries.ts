import { asServiceRole, type SqlExecutor } from '@carequeue/core/sql';
import type { NotificationKind } from '../notification-templates.js';
import type { NotificationChannel } from '../notifier.js';
import type { ClaimedNotification, OutboxDeliveries } from '../ports/outbox-deliveries.js';

/**
 * Options of {@link sqlOutboxDeliveries}.
 *
 * @example
 * ```ts
 * const options: SqlOutboxDeliveriesOptions = { executor: sql, workerId: 'worker-1' };
 * ```
 */
export interface SqlOutboxDeliveriesOptions {
  /** The pool claims and records run on, each in its own service_role transaction. */
  readonly executor: SqlExecutor;
  /** Written to `locked_by`, so an operator sees which dispatcher holds a claim. */
  readonly workerId: string;
}

interface OutboxRow {
  readonly id: string;
  readonly tenant_id: string;
  readonly patient_id: string | null;
  readonly kind: NotificationKind;
  readonly channel: NotificationChannel;
  readonly payload_ciphertext: string;
  readonly attempts: number;
}

const COLUMNS =
  'o.id, o.tenant_id, o.patient_id, o.kind, o.channel, o.payload_ciphertext, o.attempts';

const claimedFrom = (row: OutboxRow): ClaimedNotification => ({
  id: row.id,
  tenantId: row.tenant_id,
  patientId: row.patient_id,
  kind: row.kind,
  channel: row.channel,
  payloadCiphertext: row.payload_ciphertext,
  attempts: row.attempts,
});

/**
 * {@link OutboxDeliveries} on `queue.notification_outbox` (Postgres or PGlite). A claim takes due
 * rows with `FOR UPDATE SKIP LOCKED`, marks them `sending` with a lease and commits, so several
 * dispatchers share the work and a row whose dispatcher died is claimed again after its lease.
 *
 * @example
 * ```ts
 * const deliveries = sqlOutboxDeliveries({ executor: sql, workerId: 'worker-1' });
 * ```
 */
export function sqlOutboxDeliveries(options: SqlOutboxDeliveriesOptions): OutboxDeliveries {
  const { executor, workerId } = options;
  return {
    claimDue({ channels, limit, now, leaseUntil }) {
      return asServiceRole(executor, async (tx) => {
        const { rows } = await tx.query<OutboxRow>(
          `WITH next AS (
             SELECT id FROM queue.notification_outbox
             WHERE channel = ANY ($4::text[])
               AND ((status = 'pending' AND available_at <= $1)
                 OR (status = 'sending' AND locked_until <= $1))
             ORDER BY available_at, id
             LIMIT $2
             FOR UPDATE SKIP LOCKED)
           UPDATE queue.notification_outbox o
             SET status = 'sending', locked_by = $3, locked_until = $5, attempts = o.attempts + 1,
                 updated_at = $1
           FROM next WHERE o.id = next.id
           RETURNING ${COLUMNS}`,
          [new Date(now), limit, workerId, channels, new Date(leaseUntil)],
        );
        return rows.map(claimedFrom);
      });
    },
    async settle(id, outcome, record, now) {
      await asServiceRole(executor, (tx) =>
        tx.query(
          `UPDATE queue.notification_outbox
             SET status = $2, provider = coalesce($3, provider),
                 provider_message_id = coalesce($4, provider_message_id),
                 last_error_code = $5, sent_at = CASE WHEN $2 = 'sent' THEN $6 ELSE sent_at END,
                 locked_by = NULL, locked_until = NULL, updated_at = $6
           WHERE id = $1`,
          [
            id,
            outcome,
            record.provider ?? null,
            record.providerMessageId ?? null,
            record.errorCode ?? null,
            new Date(now),
          ],
        ),
      );
    },
    reclaimDead(id, leaseUntil, now) {
      return asServiceRole(executor, async (tx) => {
        const { rows } = await tx.query<OutboxRow>(
          `UPDATE queue.notification_outbox o
             SET status = 'sending', locked_by = $2, locked_until = $3, attempts = o.attempts + 1,
                 updated_at = $4
           WHERE o.id = $1 AND o.status = 'dead'
           RETURNING ${COLUMNS}`,
          [id, workerId, new Date(leaseUntil), new Date(now)],
        );
        const row = rows[0];
        return row === undefined ? undefined : claimedFrom(row);
      });
    },
  };
}
