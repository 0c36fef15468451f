import { randomUUID } from 'node:crypto';
import { createAuditLogService } from '@carequeue/audit';
import { auditMigrations, postgresAuditStore } from '@carequeue/audit/postgres';
import {
  ClinicId,
  PatientId,
  ServiceTypeId,
  StaffId,
  systemClock,
  TenantId,
  UserId,
  uuidv7,
  type Actor,
} from '@carequeue/core';
import { coreMigrations, createPgExecutor, migrate, type SqlExecutor } from '@carequeue/core/sql';
import { createBookingService, type BookingService } from '@carequeue/queue';
import { queueMigrations, sqlBookingUnitOfWork } from '@carequeue/queue/postgres';
import { createIdempotency, memoryIdempotencyStore } from '@carequeue/resilience';
import pg from 'pg';
import { defineCase } from '../../case-definition.js';

const CLIENTS = 50;
const PROVIDERS = 20;
const PATIENTS = 50;
const SLOT_MS = 15 * 60_000;
const FIRST_SLOT = Date.UTC(2026, 2, 2);
const NOW = FIRST_SLOT - 86_400_000;

interface World {
  readonly tenantId: TenantId;
  readonly clinicId: ClinicId;
  readonly serviceTypeId: ServiceTypeId;
  readonly staffIds: StaffId[];
  readonly patientIds: PatientId[];
}

async function createDatabase(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `cq_bench_booking_${randomUUID().replaceAll('-', '')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 1 });
  try {
    await migrate(createPgExecutor({ pool }), [coreMigrations, auditMigrations, queueMigrations]);
  } finally {
    await pool.end();
  }
  return {
    url: url.toString(),
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** One tenant, one clinic open around the clock, 20 providers, 50 patients, a 15-minute visit. */
async function seed(executor: SqlExecutor): Promise<World> {
  const world: World = {
    tenantId: TenantId.parse(uuidv7()),
    clinicId: ClinicId.parse(uuidv7()),
    serviceTypeId: ServiceTypeId.parse(uuidv7()),
    staffIds: Array.from({ length: PROVIDERS }, () => StaffId.parse(uuidv7())),
    patientIds: Array.from({ length: PATIENTS }, () => PatientId.parse(uuidv7())),
  };
  const at = new Date(NOW).toISOString();
  await executor.transaction(async (tx) => {
    await tx.query('INSERT INTO queue.tenants (tenant_id, name, created_at) VALUES ($1, $2, $3)', [
      world.tenantId,
      'Bench',
      at,
    ]);
    await tx.query(
      `INSERT INTO queue.clinics (id, tenant_id, name, time_zone, settings, created_at, updated_at, version)
       VALUES ($1, $2, 'Bench clinic', 'Europe/Paris', $3, $4, $4, 0)`,
      [
        world.clinicId,
        world.tenantId,
        JSON.stringify({
          walkInsEnabled: true,
          slotIntervalMinutes: 15,
          minimumNoticeMinutes: 0,
          bookingHorizonDays: 730,
          lateCancelWindowMinutes: 1440,
          noShowGraceMinutes: 15,
          maxRecalls: 2,
        }),
        at,
      ],
    );
    await tx.query(
      `INSERT INTO queue.service_types (id, tenant_id, clinic_id, name, duration_minutes, created_at, updated_at, version)
       VALUES ($1, $2, $3, 'Visit', 15, $4, $4, 0)`,
      [world.serviceTypeId, world.tenantId, world.clinicId, at],
    );
    for (const [index, staffId] of world.staffIds.entries()) {
      await tx.query(
        `INSERT INTO queue.staff (id, tenant_id, display_name, email, roles, clinic_ids, created_at, updated_at, version)
         VALUES ($1, $2, 'Provider', $3, '{clinician}', ARRAY[$4::uuid], $5, $5, 0)`,
        [staffId, world.tenantId, `provider${index}@example.org`, world.clinicId, at],
      );
      await tx.query(
        `INSERT INTO queue.schedules (tenant_id, clinic_id, staff_id, time_zone, updated_at, version)
         VALUES ($1, $2, $3, 'Europe/Paris', $4, 0)`,
        [world.tenantId, world.clinicId, staffId, at],
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
           VALUES ($1, $2, $3, $4, $5, $6, '00:00', '24:00')`,
          [uuidv7(), world.tenantId, world.clinicId, staffId, position, day],
        );
      }
    }
    for (const patientId of world.patientIds) {
      await tx.query(
        `INSERT INTO queue.patients (id, tenant_id, given_name, family_name, date_of_birth, preferred_channel, consent, created_at, updated_at, version)
         VALUES ($1, $2, 'Bench', 'Patient', '1980-01-01', 'none', '{}', $3, $3, 0)`,
        [patientId, world.tenantId, at],
      );
    }
    // The floor: the same columns with a primary key, and no constraint, trigger or policy.
    await tx.exec(`CREATE TABLE bench_plain_appointments (LIKE queue.appointments INCLUDING DEFAULTS);
      ALTER TABLE bench_plain_appointments DROP COLUMN busy_range;
      ALTER TABLE bench_plain_appointments ADD PRIMARY KEY (id)`);
  });
  return world;
}

interface State {
  readonly database: { drop(): Promise<void> };
  readonly pool: pg.Pool;
  readonly executor: SqlExecutor;
  readonly world: World;
  readonly booking: BookingService;
  readonly actor: Actor;
  next: { ours: number; peer: number };
}

/** The n-th distinct slot: providers round-robin, then the next 15 minutes. */
function slotOf(
  world: World,
  n: number,
): { staffId: StaffId; patientId: PatientId; start: number } {
  return {
    staffId: world.staffIds[n % PROVIDERS]!,
    patientId: world.patientIds[n % PATIENTS]!,
    start: FIRST_SLOT + Math.floor(n / PROVIDERS) * SLOT_MS,
  };
}

const PLAIN_INSERT = `INSERT INTO bench_plain_appointments (id, tenant_id, clinic_id, patient_id, staff_id,
  service_type_id, status, starts_at, ends_at, late_cancel, created_at, updated_at, version)
  VALUES ($1, $2, $3, $4, $5, $6, 'booked', $7, $8, false, $9, $9, 0)`;

export default defineCase<State>({
  id: 'queue.booking-contention',
  kind: 'throughput',
  unit: 'ops/s',
  better: 'higher',
  target: null,
  peerName:
    'pg 8.23.1 plain INSERT of the same appointment row (no constraint, trigger, RLS or audit)',
  notes:
    `report only (the issue sets no target); successful bookings/s, ${CLIENTS} concurrent clients on ${PROVIDERS} providers of one clinic ` +
    `(pool of ${CLIENTS} connections, Postgres); each operation books the next distinct 15-minute ` +
    'slot round-robin over the providers through BookingService.book as a receptionist: ' +
    'idempotency key (in-memory store), one transaction under RLS claims that reads clinic, ' +
    "service type and schedule, expires lapsed holds, lists the provider's busy ranges, checks " +
    'the slot with the availability function, inserts under the btree_gist exclusion constraint ' +
    'and writes the audit event; the peer inserts the same row into a copy of the table with only ' +
    'a primary key, one statement per transaction',
  concurrency: CLIENTS,
  durationMs: 3_000,
  rounds: 5,
  setup: async ({ services }) => {
    const database = await createDatabase(services.postgres);
    const pool = new pg.Pool({ connectionString: database.url, max: CLIENTS });
    // Dropping the database at teardown ends idle connections; that is expected, not a crash.
    pool.on('error', () => undefined);
    const executor = createPgExecutor({ pool });
    const world = await seed(executor);
    // Booking time stands still a day before the first slot, so every slot stays bookable.
    const clock = { ...systemClock, now: () => NOW };
    const booking = createBookingService({
      unitOfWork: sqlBookingUnitOfWork({ executor }),
      audit: createAuditLogService({ store: postgresAuditStore({ executor }) }),
      clock,
      idempotency: createIdempotency({ store: memoryIdempotencyStore() }),
    });
    const actor: Actor = {
      userId: UserId.parse(uuidv7()),
      tenantId: world.tenantId,
      roles: ['receptionist'],
      aal: 'aal2',
      staffId: StaffId.parse(uuidv7()),
      clinicIds: [world.clinicId],
    };
    return { database, pool, executor, world, booking, actor, next: { ours: 0, peer: 0 } };
  },
  teardown: async (state) => {
    await state.pool.end();
    await state.database.drop();
  },
  ours: (state) => async () => {
    const slot = slotOf(state.world, state.next.ours++);
    await state.booking.book(state.actor, {
      clinicId: state.world.clinicId,
      staffId: slot.staffId,
      serviceTypeId: state.world.serviceTypeId,
      patientId: slot.patientId,
      start: new Date(slot.start).toISOString(),
      idempotencyKey: randomUUID(),
    });
  },
  peer: (state) => async () => {
    const slot = slotOf(state.world, state.next.peer++);
    await state.executor.transaction((tx) =>
      tx.query(PLAIN_INSERT, [
        uuidv7(),
        state.world.tenantId,
        state.world.clinicId,
        slot.patientId,
        slot.staffId,
        state.world.serviceTypeId,
        new Date(slot.start).toISOString(),
        new Date(slot.start + SLOT_MS).toISOString(),
        new Date(NOW).toISOString(),
      ]),
    );
  },
});
