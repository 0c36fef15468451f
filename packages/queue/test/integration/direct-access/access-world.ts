import { uuidv7 } from '@carequeue/core';
import { asServiceRole, type SqlExecutor } from '@carequeue/core/sql';
import { seedTwoTenants, type SeededTenant } from '../tenant-fixture.js';

const now = '2026-03-02T09:00:00.000Z';

/**
 * Rows of one tenant in the tables the tenant fixture leaves empty: an owner, a group seat, a queue line
 * with an entry and its event, an outbox row, an opt-out, a job, a realtime topic, a dead letter
 * and a legal hold, linked to the tenant's first patient and first clinic where they can be.
 */
async function seedRest(tx: SqlExecutor, t: SeededTenant): Promise<void> {
  const { rows } = await tx.query<{ staff_id: string; service_type_id: string }>(
    `SELECT staff_id, service_type_id FROM queue.appointments
     WHERE tenant_id = $1 AND patient_id = $2`,
    [t.tenantId, t.patientOne],
  );
  const { staff_id: staffId, service_type_id: serviceTypeId } = rows[0]!;
  await tx.query(
    `INSERT INTO queue.staff (id, tenant_id, user_id, display_name, email, roles, clinic_ids,
       created_at, updated_at, version)
     VALUES ($1, $2, $3, 'Owner', 'owner@example.org', '{owner}', '{}', $4, $4, 0)`,
    [uuidv7(), t.tenantId, uuidv7(), now],
  );
  const seated = uuidv7();
  const groupSlotId = uuidv7();
  await tx.query(
    `INSERT INTO queue.appointments (id, tenant_id, clinic_id, patient_id, staff_id, service_type_id,
       status, starts_at, ends_at, created_at, updated_at, version, group_slot_id)
     VALUES ($1, $2, $3, $4, $5, $6, 'booked', '2026-03-10T09:00:00Z', '2026-03-10T09:15:00Z',
       $7, $7, 0, $8)`,
    [seated, t.tenantId, t.clinicOne, t.patientOne, staffId, serviceTypeId, now, groupSlotId],
  );
  await tx.query(
    `INSERT INTO queue.appointment_seats (tenant_id, clinic_id, group_slot_id, seat_number,
       appointment_id, patient_id, created_at)
     VALUES ($1, $2, $3, 1, $4, $5, $6)`,
    [t.tenantId, t.clinicOne, groupSlotId, seated, t.patientOne, now],
  );
  const queueId = uuidv7();
  const entryId = uuidv7();
  await tx.query(
    `INSERT INTO queue.queue_lines (tenant_id, queue_id, clinic_id, version, last_ticket, created_at)
     VALUES ($1, $2, $3, 1, 1, $4)`,
    [t.tenantId, queueId, t.clinicOne, now],
  );
  await tx.query(
    `INSERT INTO queue.queue_entries (id, tenant_id, clinic_id, queue_id, patient_id, source,
       status, ordering_key, ticket, checked_in_at, effective_at, updated_at, version)
     VALUES ($1, $2, $3, $4, $5, 'walk-in', 'waiting', 0, 'W001', $6, $6, $6, 0)`,
    [entryId, t.tenantId, t.clinicOne, queueId, t.patientOne, now],
  );
  await tx.query(
    `INSERT INTO queue.queue_events (tenant_id, queue_id, version, clinic_id, entry_id, type,
       to_status, entry_version, occurred_at)
     VALUES ($1, $2, 1, $3, $4, 'checked_in', 'waiting', 0, $5)`,
    [t.tenantId, queueId, t.clinicOne, entryId, now],
  );
  await tx.query(
    `INSERT INTO queue.notification_outbox (id, tenant_id, clinic_id, patient_id, kind, channel,
       dedupe_key, payload_ciphertext, available_at, created_at, updated_at)
     VALUES ($1, $2, $3, $4, 'booking.confirmed', 'sms', $5, 'cq1.sealed', $6, $6, $6)`,
    [uuidv7(), t.tenantId, t.clinicOne, t.patientOne, `booking.confirmed:${seated}`, now],
  );
  await tx.query(
    `INSERT INTO queue.notification_opt_outs (tenant_id, channel, address_index, patient_id,
       source, opted_out_at)
     VALUES ($1, 'sms', $2, $3, 'patient', $4)`,
    [t.tenantId, `index-${t.patientOne}`, t.patientOne, now],
  );
  await tx.query(
    `INSERT INTO queue.jobs (id, tenant_id, kind, unique_key, payload, run_at, max_attempts,
       created_at, updated_at)
     VALUES ($1, $2, 'booking.reminder', $3, $4, $5, 5, $5, $5)`,
    [
      uuidv7(),
      t.tenantId,
      `booking.reminder:${seated}`,
      JSON.stringify({ appointmentId: seated }),
      now,
    ],
  );
  await tx.query(
    'INSERT INTO queue.realtime_topics (tenant_id, topic, sequence) VALUES ($1, $2, 1)',
    [t.tenantId, `clinic:${t.clinicOne}`],
  );
  await tx.query(
    `INSERT INTO resilience.dead_letters (tenant_id, id, kind, payload, error_code,
       error_message, attempts, first_failed_at, last_failed_at)
     VALUES ($1, $2, 'sms.reminder', 'cq1.sealed', 'TIMEOUT', 'Timed out.', 1, $3, $3)`,
    [t.tenantId, uuidv7(), now],
  );
  await tx.query(
    `INSERT INTO audit.legal_holds (id, tenant_id, patient_id, from_time, to_time, reason,
       created_at)
     VALUES ($1, $2, $3, '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z', 'litigation', $4)`,
    [uuidv7(), t.tenantId, t.patientOne, now],
  );
}

/** Audit events of a tenant about its first patient: two sealed into the chain, one not yet. */
async function seedAudit(tx: SqlExecutor, t: SeededTenant): Promise<void> {
  const append = (id: string) =>
    tx.query(
      `INSERT INTO audit.events (id, tenant_id, user_id, category, action, resource_type,
         resource_id, patient_id, outcome, "timestamp", retention_class)
       VALUES ($1, $2, $3, 'access', 'read', 'Patient', $4, $4, 'success', $5, 'standard')`,
      [id, t.tenantId, t.adminUser, t.patientOne, now],
    );
  await append(uuidv7());
  await append(uuidv7());
  await tx.query('SELECT audit.seal($1)', [t.tenantId]);
  await append(uuidv7());
  const partition = `events_standard_archived_${t.tenantId.replaceAll('-', '')}`;
  await tx.query(
    `INSERT INTO audit.retention_archives (partition_name, retention_class, range_from, range_to,
       event_count, archive_sha256, manifest_sha256, archived_at)
     VALUES ($1, 'standard', '2019-01-01T00:00:00Z', '2019-02-01T00:00:00Z', 1, $2, $2, $3)`,
    [partition, '0'.repeat(64), now],
  );
  await tx.query(
    `INSERT INTO audit.archived_events (event_id, tenant_id, sequence, payload_hash, partition_name)
     VALUES ($1, $2, 0, $3, $4)`,
    [uuidv7(), t.tenantId, '0'.repeat(64), partition],
  );
}

/**
 * Two tenants with at least one row in every table of the queue, resilience and audit schemas,
 * most of them linked to the tenant's first patient and first clinic. Queue and resilience rows
 * are written as service_role; audit rows by the owner, as the maintenance tooling would.
 */
export async function seedAccessWorld(
  executor: SqlExecutor,
): Promise<{ a: SeededTenant; b: SeededTenant }> {
  const tenants = await seedTwoTenants(executor);
  await asServiceRole(executor, async (tx) => {
    await seedRest(tx, tenants.a);
    await seedRest(tx, tenants.b);
    await tx.query(
      `INSERT INTO resilience.idempotency_keys (key, fingerprint, response, expires_at)
       VALUES ($1, $2, NULL, '2026-03-03T00:00:00Z')`,
      [`${tenants.a.tenantId}:booking`, '0'.repeat(64)],
    );
  });
  await executor.transaction(async (tx) => {
    await seedAudit(tx, tenants.a);
    await seedAudit(tx, tenants.b);
  });
  return tenants;
}
