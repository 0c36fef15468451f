import {
  AppointmentId,
  ClinicId,
  PatientId,
  ServiceTypeId,
  StaffId,
  TenantId,
  UserId,
  uuidv7,
} from '@carequeue/core';
import type { Actor } from '@carequeue/core';
import { asServiceRole, type SqlExecutor } from '@carequeue/core/sql';
import type { StoredAppointment } from '../../src/booking/ports/appointment-repository.js';

/** The ids of one seeded booking tenant. */
export interface BookingWorld {
  readonly tenantId: TenantId;
  readonly clinicId: ClinicId;
  readonly otherClinicId: ClinicId;
  readonly staffIds: StaffId[];
  readonly patientIds: PatientId[];
  readonly serviceTypeId: ServiceTypeId;
}

/** Creates the ids of a world without storing anything, for the in-memory stores. */
export function memoryWorld(staff = 2, patients = 4): BookingWorld {
  return {
    tenantId: TenantId.parse(uuidv7()),
    clinicId: ClinicId.parse(uuidv7()),
    otherClinicId: ClinicId.parse(uuidv7()),
    staffIds: Array.from({ length: staff }, () => StaffId.parse(uuidv7())),
    patientIds: Array.from({ length: patients }, () => PatientId.parse(uuidv7())),
    serviceTypeId: ServiceTypeId.parse(uuidv7()),
  };
}

const seededAt = '2026-03-01T00:00:00.000Z';

/**
 * Stores a tenant with two clinics, staff of the first clinic with Monday to Sunday hours
 * 08:00-18:00 in `timeZone`, patients registered at the first clinic and one 30-minute service
 * type with a 5-minute buffer after, as the service role.
 */
export async function seedBookingWorld(
  executor: SqlExecutor,
  options: { staff?: number; patients?: number; timeZone?: string } = {},
): Promise<BookingWorld> {
  const world = memoryWorld(options.staff ?? 2, options.patients ?? 4);
  const timeZone = options.timeZone ?? 'Europe/Paris';
  await asServiceRole(executor, async (tx) => {
    await tx.query('INSERT INTO queue.tenants (tenant_id, name, created_at) VALUES ($1, $2, $3)', [
      world.tenantId,
      'Tenant',
      seededAt,
    ]);
    for (const clinicId of [world.clinicId, world.otherClinicId]) {
      await tx.query(
        `INSERT INTO queue.clinics (id, tenant_id, name, time_zone, settings, created_at, updated_at, version)
         VALUES ($1, $2, 'Clinic', $3, $4, $5, $5, 0)`,
        [
          clinicId,
          world.tenantId,
          timeZone,
          JSON.stringify({
            walkInsEnabled: true,
            slotIntervalMinutes: 15,
            minimumNoticeMinutes: 60,
            bookingHorizonDays: 60,
            lateCancelWindowMinutes: 1440,
            noShowGraceMinutes: 15,
            maxRecalls: 2,
          }),
          seededAt,
        ],
      );
    }
    await tx.query(
      `INSERT INTO queue.service_types (id, tenant_id, clinic_id, name, duration_minutes,
         buffer_before_minutes, buffer_after_minutes, created_at, updated_at, version)
       VALUES ($1, $2, $3, 'Consultation', 30, 0, 5, $4, $4, 0)`,
      [world.serviceTypeId, world.tenantId, world.clinicId, seededAt],
    );
    for (const [index, staffId] of world.staffIds.entries()) {
      await tx.query(
        `INSERT INTO queue.staff (id, tenant_id, display_name, email, roles, clinic_ids, created_at, updated_at, version)
         VALUES ($1, $2, 'Doctor', $3, '{clinician}', ARRAY[$4::uuid], $5, $5, 0)`,
        [staffId, world.tenantId, `doctor${index}@example.org`, world.clinicId, seededAt],
      );
      await tx.query(
        `INSERT INTO queue.schedules (tenant_id, clinic_id, staff_id, time_zone, updated_at, version)
         VALUES ($1, $2, $3, $4, $5, 0)`,
        [world.tenantId, world.clinicId, staffId, timeZone, seededAt],
      );
      for (const [position, day] of [
        'monday',
        'tuesday',
        'wednesday',
        'thursday',
        'friday',
        'saturday',
        'sunday',
      ].entries()) {
        await tx.query(
          `INSERT INTO queue.schedule_weekly_hours (id, tenant_id, clinic_id, staff_id, position, day, start_time, end_time)
           VALUES ($1, $2, $3, $4, $5, $6, '08:00', '18:00')`,
          [uuidv7(), world.tenantId, world.clinicId, staffId, position, day],
        );
      }
    }
    for (const patientId of world.patientIds) {
      await tx.query(
        `INSERT INTO queue.patients (id, tenant_id, given_name, family_name, date_of_birth, preferred_channel, consent, created_at, updated_at, version)
         VALUES ($1, $2, 'Given', 'Family', '1980-01-01', 'sms', '{}', $3, $3, 0)`,
        [patientId, world.tenantId, seededAt],
      );
      await tx.query(
        'INSERT INTO queue.patient_clinics (tenant_id, patient_id, clinic_id, created_at) VALUES ($1, $2, $3, $4)',
        [world.tenantId, patientId, world.clinicId, seededAt],
      );
    }
  });
  return world;
}

/** A receptionist of the world's first clinic, at aal2. */
export function receptionist(world: BookingWorld, clinicIds = [world.clinicId]): Actor {
  return {
    userId: UserId.parse(uuidv7()),
    tenantId: world.tenantId,
    roles: ['receptionist'],
    aal: 'aal2',
    staffId: StaffId.parse(uuidv7()),
    clinicIds,
  };
}

/**
 * A worker of the world's tenant: units of work run it as service_role, which writes rows as
 * given (the storage contract), where end users go through the checked write functions.
 */
export function worker(world: BookingWorld): Actor {
  return {
    userId: UserId.parse(uuidv7()),
    tenantId: world.tenantId,
    roles: ['service'],
    aal: 'aal2',
  };
}

/** The patient actor of `patientId`. */
export function patientActor(world: BookingWorld, patientId: PatientId): Actor {
  return {
    userId: UserId.parse(uuidv7()),
    tenantId: world.tenantId,
    roles: ['patient'],
    aal: 'aal1',
    patientId,
  };
}

/** A booked appointment of the world at `start` for `minutes`, with the given fields changed. */
export function appointmentAt(
  world: BookingWorld,
  start: string,
  minutes: number,
  fields: Partial<StoredAppointment> = {},
): StoredAppointment {
  const startMs = Date.parse(start);
  return {
    id: AppointmentId.parse(uuidv7()),
    tenantId: world.tenantId,
    clinicId: world.clinicId,
    patientId: world.patientIds[0] ?? PatientId.parse(uuidv7()),
    staffId: world.staffIds[0] ?? StaffId.parse(uuidv7()),
    serviceTypeId: world.serviceTypeId,
    status: 'booked',
    start: new Date(startMs).toISOString(),
    end: new Date(startMs + minutes * 60_000).toISOString(),
    lateCancel: false,
    createdAt: seededAt,
    updatedAt: seededAt,
    version: 0,
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 0,
    ...fields,
  };
}

/** A small deterministic generator, so a failing run can be repeated exactly. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}
