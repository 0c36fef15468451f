import { uuidv7 } from '@carequeue/core';
import { asServiceRole, type JwtClaims, type SqlExecutor } from '@carequeue/core/sql';

/** The ids of one seeded tenant: two clinics, an admin, a receptionist of clinic one, two patients. */
export interface SeededTenant {
  readonly tenantId: string;
  readonly clinicOne: string;
  readonly clinicTwo: string;
  readonly adminUser: string;
  readonly receptionistStaff: string;
  readonly receptionistUser: string;
  readonly patientOne: string;
  readonly patientTwo: string;
}

const now = '2026-03-02T09:00:00.000Z';

async function seedTenant(tx: SqlExecutor): Promise<SeededTenant> {
  const t: SeededTenant = {
    tenantId: uuidv7(),
    clinicOne: uuidv7(),
    clinicTwo: uuidv7(),
    adminUser: uuidv7(),
    receptionistStaff: uuidv7(),
    receptionistUser: uuidv7(),
    patientOne: uuidv7(),
    patientTwo: uuidv7(),
  };
  const adminStaff = uuidv7();
  await tx.query('INSERT INTO queue.tenants (tenant_id, name, created_at) VALUES ($1, $2, $3)', [
    t.tenantId,
    'Tenant',
    now,
  ]);
  for (const clinicId of [t.clinicOne, t.clinicTwo]) {
    await tx.query(
      `INSERT INTO queue.clinics (id, tenant_id, name, time_zone, settings, created_at, updated_at, version)
       VALUES ($1, $2, 'Clinic', 'Europe/Berlin', '{}', $3, $3, 0)`,
      [clinicId, t.tenantId, now],
    );
  }
  await tx.query(
    `INSERT INTO queue.staff (id, tenant_id, user_id, display_name, email, roles, clinic_ids, created_at, updated_at, version)
     VALUES ($1, $2, $3, 'Admin', 'admin@example.org', '{admin}', '{}', $5, $5, 0),
            ($4, $2, $6, 'Desk', 'desk@example.org', '{receptionist}', ARRAY[$7::uuid], $5, $5, 0)`,
    [
      adminStaff,
      t.tenantId,
      t.adminUser,
      t.receptionistStaff,
      now,
      t.receptionistUser,
      t.clinicOne,
    ],
  );
  for (const [clinicId, patientId, staffId] of [
    [t.clinicOne, t.patientOne, t.receptionistStaff],
    [t.clinicTwo, t.patientTwo, adminStaff],
  ] as const) {
    const serviceTypeId = uuidv7();
    const hoursId = uuidv7();
    await tx.query(
      `INSERT INTO queue.service_types (id, tenant_id, clinic_id, name, duration_minutes, created_at, updated_at, version)
       VALUES ($1, $2, $3, 'Checkup', 15, $4, $4, 0)`,
      [serviceTypeId, t.tenantId, clinicId, now],
    );
    await tx.query(
      `INSERT INTO queue.schedules (tenant_id, clinic_id, staff_id, time_zone, updated_at, version)
       VALUES ($1, $2, $3, 'Europe/Berlin', $4, 0)`,
      [t.tenantId, clinicId, staffId, now],
    );
    await tx.query(
      `INSERT INTO queue.schedule_weekly_hours (id, tenant_id, clinic_id, staff_id, position, day, start_time, end_time)
       VALUES ($1, $2, $3, $4, 0, 'monday', '08:00', '16:00')`,
      [hoursId, t.tenantId, clinicId, staffId],
    );
    await tx.query(
      `INSERT INTO queue.schedule_breaks (id, tenant_id, clinic_id, weekly_hours_id, position, start_time, end_time)
       VALUES ($1, $2, $3, $4, 0, '12:00', '12:30')`,
      [uuidv7(), t.tenantId, clinicId, hoursId],
    );
    await tx.query(
      `INSERT INTO queue.schedule_date_overrides (tenant_id, clinic_id, staff_id, date, intervals)
       VALUES ($1, $2, $3, '2026-03-09', '[]')`,
      [t.tenantId, clinicId, staffId],
    );
    await tx.query(
      `INSERT INTO queue.patients (id, tenant_id, given_name, family_name, date_of_birth, preferred_channel, consent, created_at, updated_at, version)
       VALUES ($1, $2, 'Given', 'Family', '1980-01-01', 'sms',
               '{"sms": true, "email": true, "dataProcessing": true, "recordedAt": "2026-03-02T09:00:00.000Z"}',
               $3, $3, 0)`,
      [patientId, t.tenantId, now],
    );
    await tx.query(
      'INSERT INTO queue.patient_clinics (tenant_id, patient_id, clinic_id, created_at) VALUES ($1, $2, $3, $4)',
      [t.tenantId, patientId, clinicId, now],
    );
    await tx.query(
      `INSERT INTO queue.appointments (id, tenant_id, clinic_id, patient_id, staff_id, service_type_id, status, starts_at, ends_at, created_at, updated_at, version)
       VALUES ($1, $2, $3, $4, $5, $6, 'booked', '2026-03-09T09:00:00Z', '2026-03-09T09:15:00Z', $7, $7, 0)`,
      [uuidv7(), t.tenantId, clinicId, patientId, staffId, serviceTypeId, now],
    );
    await tx.query(
      `INSERT INTO queue.waitlist_entries (id, tenant_id, clinic_id, patient_id, service_type_id, status, created_at, updated_at, version)
       VALUES ($1, $2, $3, $4, $5, 'waiting', $6, $6, 0)`,
      [uuidv7(), t.tenantId, clinicId, patientId, serviceTypeId, now],
    );
  }
  await tx.query(
    `INSERT INTO queue.invitations (id, tenant_id, email, roles, clinic_ids, status, token_hash, invited_by, expires_at, created_at, version)
     VALUES ($1, $2, 'new@example.org', '{clinician}', ARRAY[$3::uuid], 'pending', $4, $5, $6, $6, 0)`,
    [
      uuidv7(),
      t.tenantId,
      t.clinicOne,
      uuidv7().replaceAll('-', '').padEnd(64, '0'),
      t.adminUser,
      now,
    ],
  );
  return t;
}

/** Seeds two tenants as service_role, which bypasses row-level security. */
export function seedTwoTenants(
  executor: SqlExecutor,
): Promise<{ a: SeededTenant; b: SeededTenant }> {
  return asServiceRole(executor, async (tx) => ({
    a: await seedTenant(tx),
    b: await seedTenant(tx),
  }));
}

function claims(userId: string, appMetadata: Record<string, unknown>): JwtClaims {
  return { sub: userId, role: 'authenticated', app_metadata: appMetadata };
}

/** Claims of the tenant's admin. */
export function adminClaims(t: SeededTenant): JwtClaims {
  return claims(t.adminUser, { tenant_id: t.tenantId, roles: ['admin'] });
}

/** Claims of the tenant's receptionist, who works at clinic one only. */
export function receptionistClaims(t: SeededTenant): JwtClaims {
  return claims(t.receptionistUser, {
    tenant_id: t.tenantId,
    roles: ['receptionist'],
    staff_id: t.receptionistStaff,
    clinic_ids: [t.clinicOne],
  });
}

/** Claims of the tenant's first patient. */
export function patientClaims(t: SeededTenant): JwtClaims {
  return claims(uuidv7(), { tenant_id: t.tenantId, roles: ['patient'], patient_id: t.patientOne });
}
