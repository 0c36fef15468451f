import type { SqlExecutor } from '@carequeue/core/sql';
import type { NotificationFacts } from '../ports/notification-facts.js';

/**
 * The {@link NotificationFacts} of a job's transaction, read from the queue tables.
 *
 * @example
 * ```ts
 * const handler: JobHandler = async (job, { tx }) => {
 *   const clinic = await sqlNotificationFacts(tx).clinic(job.tenantId, String(job.payload.clinicId));
 * };
 * ```
 */
export function sqlNotificationFacts(tx: SqlExecutor): NotificationFacts {
  return {
    async appointment(tenantId, appointmentId) {
      const { rows } = await tx.query<{
        status: string;
        starts_at: Date;
        patient_id: string;
        clinic_id: string;
      }>(
        `SELECT status, starts_at, patient_id, clinic_id FROM queue.appointments
         WHERE tenant_id = $1 AND id = $2`,
        [tenantId, appointmentId],
      );
      const row = rows[0];
      if (row === undefined) return undefined;
      return {
        status: row.status,
        startsAt: new Date(row.starts_at).getTime(),
        patientId: row.patient_id,
        clinicId: row.clinic_id,
      };
    },
    async patientContact(tenantId, patientId) {
      const { rows } = await tx.query<{
        phone: string | null;
        email: string | null;
        preferred_channel: string;
        consent: { sms?: boolean; email?: boolean } | null;
        erased_at: Date | null;
      }>(
        `SELECT phone, email, preferred_channel, consent, erased_at FROM queue.patients
         WHERE tenant_id = $1 AND id = $2`,
        [tenantId, patientId],
      );
      const row = rows[0];
      if (row === undefined) return undefined;
      return {
        phone: row.phone,
        email: row.email,
        preferredChannel: row.preferred_channel,
        consent: row.consent,
        erased: row.erased_at !== null,
      };
    },
    async clinic(tenantId, clinicId) {
      const { rows } = await tx.query<{
        name: string;
        time_zone: string;
        settings: Record<string, unknown> | null;
      }>('SELECT name, time_zone, settings FROM queue.clinics WHERE tenant_id = $1 AND id = $2', [
        tenantId,
        clinicId,
      ]);
      const row = rows[0];
      if (row === undefined) return undefined;
      return { name: row.name, timeZone: row.time_zone, settings: row.settings ?? {} };
    },
    async calledEntries(tenantId, queueId, fromVersion, toVersion) {
      const { rows } = await tx.query<{
        id: string;
        patient_id: string | null;
        ticket: string;
        counter: string | null;
        entry_version: number;
      }>(
        `SELECT e.id, e.patient_id, e.ticket, e.counter, ev.entry_version
         FROM queue.queue_events ev
         JOIN queue.queue_entries e ON e.tenant_id = ev.tenant_id AND e.id = ev.entry_id
         WHERE ev.tenant_id = $1 AND ev.queue_id = $2 AND ev.version > $3 AND ev.version <= $4
           AND ev.type IN ('called', 'recalled') AND e.status = 'called'
         ORDER BY ev.version`,
        [tenantId, queueId, fromVersion, toVersion],
      );
      return rows.map((row) => ({
        id: row.id,
        patientId: row.patient_id,
        ticket: row.ticket,
        counter: row.counter,
        entryVersion: row.entry_version,
      }));
    },
    async waitingEntries(tenantId, queueId, limit) {
      const { rows } = await tx.query<{
        id: string;
        patient_id: string | null;
        ticket: string;
        recall_count: number;
        position: number;
      }>(
        `SELECT id, patient_id, ticket, recall_count,
                (row_number() OVER (ORDER BY ordering_key, id))::int AS position
         FROM queue.queue_entries
         WHERE tenant_id = $1 AND queue_id = $2 AND status = 'waiting'
         ORDER BY ordering_key, id
         LIMIT $3`,
        [tenantId, queueId, limit],
      );
      return rows.map((row) => ({
        id: row.id,
        patientId: row.patient_id,
        ticket: row.ticket,
        recallCount: row.recall_count,
        position: row.position,
      }));
    },
  };
}
