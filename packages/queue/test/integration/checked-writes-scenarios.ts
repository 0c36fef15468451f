import {
  appointmentTransitions,
  AppointmentStatus,
  canTransition,
  QueueEntryStatus,
  queueEntryTransitions,
  uuidv7,
} from '@carequeue/core';
import type { Actor } from '@carequeue/core';
import {
  asServiceRole,
  claimsForActor,
  freezeSqlClock,
  releaseSqlClock,
  SqlPermissionDeniedError,
  withClaims,
} from '@carequeue/core/sql';
import type { SqlExecutor } from '@carequeue/core/sql';
import { afterEach, expect, it } from 'vitest';
import { sqlAppointmentRepository } from '../../src/booking/postgres/appointment-repository.js';
import { sqlWaitlistRepository } from '../../src/booking/postgres/waitlist-repository.js';
import type { StoredAppointment } from '../../src/booking/ports/appointment-repository.js';
import { appointmentAt, patientActor, receptionist, seedBookingWorld } from './booking-fixtures.js';
import type { BookingWorld } from './booking-fixtures.js';

// Monday 2 March 2026, 07:00 in Paris; the world's clinic asks 60 minutes' notice and books up
// to 60 days ahead.
const NOW = '2026-03-02T06:00:00.000Z';
const MINUTE = 60_000;

const at = (minutesFromNow: number): string =>
  new Date(Date.parse(NOW) + minutesFromNow * MINUTE).toISOString();

function stored(executor: SqlExecutor, world: BookingWorld, id: string) {
  return asServiceRole(executor, (tx) =>
    sqlAppointmentRepository({ executor: tx }).get(world.tenantId, id as never),
  );
}

function insertAs(executor: SqlExecutor, actor: Actor, appointment: StoredAppointment) {
  return withClaims(executor, claimsForActor(actor), (tx) =>
    sqlAppointmentRepository({ executor: tx }).insert(appointment),
  );
}

function updateAs(executor: SqlExecutor, actor: Actor, appointment: StoredAppointment) {
  return withClaims(executor, claimsForActor(actor), (tx) =>
    sqlAppointmentRepository({ executor: tx }).update(appointment),
  );
}

/**
 * The checked write functions of migrations 0010 and 0011 (appointments, seats, waitlist,
 * patients), called as end users through the SQL repositories and directly.
 */
export function checkedWritesScenarios(executor: () => SqlExecutor): void {
  afterEach(() => releaseSqlClock(executor()));

  it('a patient cannot revive a cancelled hold as booked at another clinic and time', async () => {
    const world = await seedBookingWorld(executor());
    const patient = patientActor(world, world.patientIds[0]!);
    const cancelled = appointmentAt(world, at(24 * 60), 30, {
      status: 'cancelled',
      cancellationReason: 'hold-expired',
      cancellationDate: NOW,
      bufferAfterMinutes: 5,
    });
    await asServiceRole(executor(), (tx) =>
      sqlAppointmentRepository({ executor: tx }).insert(cancelled),
    );
    await freezeSqlClock(executor(), Date.parse(NOW));
    // The probe: a direct UPDATE of every column, with no WHERE and no RETURNING.
    await expect(
      withClaims(executor(), claimsForActor(patient), (tx) =>
        tx.query(
          `UPDATE queue.appointments SET status = 'booked', clinic_id = $1,
             starts_at = $2, ends_at = $3, cancellation_reason = NULL`,
          [world.otherClinicId, at(90), at(120)],
        ),
      ),
    ).rejects.toBeInstanceOf(SqlPermissionDeniedError);
    const revivals: Partial<StoredAppointment>[] = [
      { clinicId: world.otherClinicId, start: at(90), end: at(120) },
      { start: at(90), end: at(120) },
      {},
    ];
    for (const change of revivals) {
      const { cancellationReason: _reason, cancellationDate: _date, ...rest } = cancelled;
      await expect(
        updateAs(executor(), patient, { ...rest, ...change, status: 'booked', version: 1 }),
      ).rejects.toBeInstanceOf(SqlPermissionDeniedError);
    }
    expect(await stored(executor(), world, cancelled.id)).toEqual(cancelled);
  });

  it('stamps what an end user writes with the SQL clock and refuses a hold that outlives a day', async () => {
    const world = await seedBookingWorld(executor());
    const patient = patientActor(world, world.patientIds[0]!);
    await freezeSqlClock(executor(), Date.parse(NOW));
    const backdated = appointmentAt(world, at(24 * 60), 30, {
      bufferAfterMinutes: 5,
      createdAt: '2020-01-01T00:00:00.000Z',
      updatedAt: '2020-01-01T00:00:00.000Z',
    });
    await insertAs(executor(), patient, backdated);
    expect(await stored(executor(), world, backdated.id)).toMatchObject({
      createdAt: NOW,
      updatedAt: NOW,
    });
    for (const holdExpiresAt of [at(24 * 60 + 2), NOW, '2099-01-01T00:00:00.000Z']) {
      await expect(
        insertAs(
          executor(),
          patient,
          appointmentAt(world, at(3 * 24 * 60), 30, {
            status: 'pending',
            holdExpiresAt,
            bufferAfterMinutes: 5,
          }),
        ),
        holdExpiresAt,
      ).rejects.toBeInstanceOf(SqlPermissionDeniedError);
    }
  });

  it('refuses a booking the booking service would refuse, whoever inserts it directly', async () => {
    const world = await seedBookingWorld(executor());
    const patient = patientActor(world, world.patientIds[0]!);
    const existing = appointmentAt(world, at(26 * 60), 30, { bufferAfterMinutes: 5 });
    const groupSlotId = uuidv7();
    const seat = appointmentAt(world, at(30 * 60), 30, { bufferAfterMinutes: 5, groupSlotId });
    await asServiceRole(executor(), async (tx) => {
      const repo = sqlAppointmentRepository({ executor: tx });
      await repo.insert(existing);
      await repo.insert(seat);
    });
    await freezeSqlClock(executor(), Date.parse(NOW));
    const valid = (fields: Partial<StoredAppointment>) =>
      appointmentAt(world, at(24 * 60), 30, { bufferAfterMinutes: 5, ...fields });
    const refusals: [string, StoredAppointment][] = [
      ['for another patient', valid({ patientId: world.patientIds[1]! })],
      ['inside the minimum notice', valid({ start: at(30), end: at(60) })],
      [
        'beyond the booking horizon',
        valid({ start: at(61 * 24 * 60), end: at(61 * 24 * 60 + 30) }),
      ],
      ['longer than the service', valid({ end: at(24 * 60 + 90) })],
      ['without the buffer', valid({ bufferAfterMinutes: 0 })],
      ['already cancelled', valid({ status: 'cancelled', cancellationReason: 'other' })],
      ['with notes', valid({ notes: 'free text' })],
      ['at a later version', valid({ version: 3 })],
      ['with staff who have no schedule there', valid({ clinicId: world.otherClinicId })],
      // Posing as a seat of the existing appointment, whose id the exclusion constraint compares.
      [
        'sharing an appointment id as group slot',
        valid({ start: existing.start, end: existing.end, groupSlotId: existing.id }),
      ],
      [
        'as a seat of a session at another time',
        valid({ start: at(30 * 60 + 15), end: at(30 * 60 + 45), groupSlotId }),
      ],
      ['with an id that is a group slot id', valid({ id: groupSlotId as never })],
    ];
    for (const [what, appointment] of refusals) {
      await expect(insertAs(executor(), patient, appointment), what).rejects.toBeInstanceOf(
        SqlPermissionDeniedError,
      );
    }
    // The same booking, valid, goes through; clinic staff may book inside the notice.
    await insertAs(executor(), patient, valid({}));
    await insertAs(executor(), receptionist(world), valid({ start: at(90), end: at(120) }));
  });

  it('lets a patient confirm only a live hold and computes the cancellation itself', async () => {
    const world = await seedBookingWorld(executor());
    const patient = patientActor(world, world.patientIds[0]!);
    await freezeSqlClock(executor(), Date.parse(NOW));
    // Created at the SQL clock's time, as the service would: created_at never changes.
    const hold = appointmentAt(world, at(2 * 60), 30, {
      status: 'pending',
      holdExpiresAt: at(10),
      bufferAfterMinutes: 5,
      createdAt: NOW,
    });
    await insertAs(executor(), patient, hold);
    const { holdExpiresAt: _hold, ...confirmed } = hold;
    await freezeSqlClock(executor(), Date.parse(at(10)));
    await expect(
      updateAs(executor(), patient, { ...confirmed, status: 'booked', version: 1 }),
    ).rejects.toBeInstanceOf(SqlPermissionDeniedError);
    await freezeSqlClock(executor(), Date.parse(at(9)));
    await updateAs(executor(), patient, { ...confirmed, status: 'booked', version: 1 });
    // Cancelled two hours before the start, inside the clinic's 24-hour late-cancel window,
    // whatever date and flag the caller sends.
    await updateAs(executor(), patient, {
      ...confirmed,
      status: 'cancelled',
      cancellationReason: 'patient-request',
      cancellationDate: '2020-01-01T00:00:00.000Z',
      lateCancel: false,
      version: 2,
    });
    expect(await stored(executor(), world, hold.id)).toMatchObject({
      status: 'cancelled',
      cancellationDate: at(9),
      lateCancel: true,
      updatedAt: at(9),
      version: 2,
    });
    // A patient never marks an arrival or a no-show, nor writes the expiry's reason.
    const booked = appointmentAt(world, at(3 * 60), 30, {
      bufferAfterMinutes: 5,
      createdAt: at(9),
    });
    await insertAs(executor(), patient, booked);
    for (const change of [
      { status: 'arrived' as const },
      { status: 'noshow' as const },
      { status: 'cancelled' as const, cancellationReason: 'hold-expired' as const },
    ]) {
      await expect(
        updateAs(executor(), patient, { ...booked, ...change, version: 1 }),
      ).rejects.toBeInstanceOf(SqlPermissionDeniedError);
    }
    await updateAs(executor(), receptionist(world), { ...booked, status: 'arrived', version: 1 });
  });

  it('keeps a patient from rewriting their waitlist entry to move up the list', async () => {
    const world = await seedBookingWorld(executor());
    const patient = patientActor(world, world.patientIds[0]!);
    await freezeSqlClock(executor(), Date.parse(NOW));
    const entry = {
      id: uuidv7(),
      tenantId: world.tenantId,
      clinicId: world.clinicId,
      patientId: world.patientIds[0]!,
      serviceTypeId: world.serviceTypeId,
      status: 'waiting' as const,
      createdAt: '2020-01-01T00:00:00.000Z',
      updatedAt: '2020-01-01T00:00:00.000Z',
      version: 0,
    };
    await withClaims(executor(), claimsForActor(patient), (tx) =>
      sqlWaitlistRepository({ executor: tx }).insert(entry),
    );
    const saved = await asServiceRole(executor(), (tx) =>
      sqlWaitlistRepository({ executor: tx }).get(world.tenantId, entry.id),
    );
    expect(saved).toMatchObject({ createdAt: NOW, updatedAt: NOW });
    await expect(
      withClaims(executor(), claimsForActor(patient), (tx) =>
        tx.query("UPDATE queue.waitlist_entries SET created_at = '2020-01-01T00:00:00Z'"),
      ),
    ).rejects.toBeInstanceOf(SqlPermissionDeniedError);
    await expect(
      withClaims(executor(), claimsForActor(patient), (tx) =>
        sqlWaitlistRepository({ executor: tx }).update({
          ...saved!,
          createdAt: '2020-01-01T00:00:00.000Z',
          version: 1,
        }),
      ),
    ).rejects.toBeInstanceOf(SqlPermissionDeniedError);
  });

  it('refuses a patient update that moves the row out of their reach (patients_update WITH CHECK)', async () => {
    const stranger = await seedBookingWorld(executor());
    // A tenant whose one patient has no clinic link and no appointment, so no foreign key
    // stands in the way of a move: only the policy does.
    const world = { tenantId: uuidv7() };
    const loose = uuidv7();
    await asServiceRole(executor(), async (tx) => {
      await tx.query(
        'INSERT INTO queue.tenants (tenant_id, name, created_at) VALUES ($1, $2, $3)',
        [world.tenantId, 'Tenant', NOW],
      );
      await tx.query(
        `INSERT INTO queue.patients (id, tenant_id, given_name, family_name, date_of_birth,
           preferred_channel, consent, created_at, updated_at, version)
         VALUES ($1, $2, 'Given', 'Family', '1980-01-01', 'sms', '{}', $3, $3, 0)`,
        [loose, world.tenantId, NOW],
      );
    });
    const manager: Actor = {
      ...receptionist(stranger),
      tenantId: world.tenantId as never,
      roles: ['admin'],
      clinicIds: [],
    };
    const self: Actor = {
      ...patientActor(stranger, loose as never),
      tenantId: world.tenantId as never,
    };
    const moves: [string, Actor, string, unknown[]][] = [
      // Passes the read policy (the row is the admin's tenant's) but lands in another tenant.
      [
        'to another tenant',
        manager,
        'UPDATE queue.patients SET tenant_id = $1',
        [stranger.tenantId],
      ],
      ['to another id', self, 'UPDATE queue.patients SET id = $1', [uuidv7()]],
    ];
    for (const [what, actor, statement, params] of moves) {
      await expect(
        withClaims(executor(), claimsForActor(actor), (tx) => tx.query(statement, params)),
        what,
      ).rejects.toBeInstanceOf(SqlPermissionDeniedError);
    }
    const { rows } = await asServiceRole(executor(), (tx) =>
      tx.query('SELECT id, tenant_id FROM queue.patients WHERE id = $1', [loose]),
    );
    expect(rows).toEqual([{ id: loose, tenant_id: world.tenantId }]);
  });

  it('agrees with core on every appointment and queue entry transition', async () => {
    const pairs = <S extends string>(statuses: readonly S[]) =>
      statuses.flatMap((from) => statuses.map((to) => [from, to] as const));
    const appointmentPairs = pairs(AppointmentStatus.options);
    const entryPairs = pairs(QueueEntryStatus.options);
    const { rows } = await executor().query<{ kind: string; allowed: boolean[] }>(
      `SELECT 'appointment' AS kind, array_agg(queue.appointment_transition_allowed(f, t) ORDER BY n) AS allowed
       FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS p(f, t, n)
       UNION ALL
       SELECT 'entry', array_agg(queue.queue_entry_transition_allowed(f, t) ORDER BY n)
       FROM unnest($3::text[], $4::text[]) WITH ORDINALITY AS p(f, t, n)`,
      [
        appointmentPairs.map(([from]) => from),
        appointmentPairs.map(([, to]) => to),
        entryPairs.map(([from]) => from),
        entryPairs.map(([, to]) => to),
      ],
    );
    expect(rows).toEqual([
      {
        kind: 'appointment',
        allowed: appointmentPairs.map(([from, to]) =>
          canTransition(appointmentTransitions, from, to),
        ),
      },
      {
        kind: 'entry',
        allowed: entryPairs.map(([from, to]) => canTransition(queueEntryTransitions, from, to)),
      },
    ]);
  });
}
