import { uuidv7, type Actor } from '@carequeue/core';
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
import { appointmentAt, patientActor, receptionist, seedBookingWorld } from './booking-fixtures.js';
import type { BookingWorld } from './booking-fixtures.js';

async function seatedWorld(
  executor: SqlExecutor,
): Promise<{ world: BookingWorld; groupSlotId: string }> {
  const world = await seedBookingWorld(executor);
  const groupSlotId = uuidv7();
  await asServiceRole(executor, async (tx) => {
    const repo = sqlAppointmentRepository({ executor: tx });
    for (const patientId of world.patientIds.slice(0, 2)) {
      const seat = appointmentAt(world, '2026-03-02T15:00:00.000Z', 60, { patientId, groupSlotId });
      await repo.insert(seat);
      await repo.takeSeat(
        {
          tenantId: world.tenantId,
          clinicId: world.clinicId,
          groupSlotId,
          appointmentId: seat.id,
          patientId,
          createdAt: seat.createdAt,
        },
        5,
      );
    }
  });
  return { world, groupSlotId };
}

/** Row-level security of the seat table and the hold-expiry function. */
export function bookingRlsScenarios(executor: () => SqlExecutor): void {
  afterEach(() => releaseSqlClock(executor()));

  it('shows a patient only their own seat and clinic staff the seats of their clinics', async () => {
    const { world, groupSlotId } = await seatedWorld(executor());
    const seatsAs = (actor: Parameters<typeof claimsForActor>[0]) =>
      withClaims(executor(), claimsForActor(actor), (tx) =>
        sqlAppointmentRepository({ executor: tx }).listSeats(world.tenantId, groupSlotId),
      );
    const own = await seatsAs(patientActor(world, world.patientIds[0]!));
    expect(own.map((seat) => seat.patientId)).toEqual([world.patientIds[0]]);
    expect(await seatsAs(receptionist(world))).toHaveLength(2);
    expect(await seatsAs(receptionist(world, [world.otherClinicId]))).toEqual([]);
    const stranger = await seedBookingWorld(executor());
    expect(await seatsAs(receptionist(stranger))).toEqual([]);
  });

  it('refuses a seat a patient takes for someone else and frees seats only within reach', async () => {
    const { world, groupSlotId } = await seatedWorld(executor());
    const unseated = appointmentAt(world, '2026-03-02T15:00:00.000Z', 60, {
      patientId: world.patientIds[0]!,
      groupSlotId,
    });
    await asServiceRole(executor(), (tx) =>
      sqlAppointmentRepository({ executor: tx }).insert(unseated),
    );
    const insertSeatAs = (actor: Parameters<typeof claimsForActor>[0]) =>
      withClaims(executor(), claimsForActor(actor), (tx) =>
        sqlAppointmentRepository({ executor: tx }).takeSeat(
          {
            tenantId: world.tenantId,
            clinicId: world.clinicId,
            groupSlotId,
            appointmentId: unseated.id,
            patientId: world.patientIds[0]!,
            createdAt: unseated.createdAt,
          },
          5,
        ),
      );
    const patient = patientActor(world, world.patientIds[2]!);
    await expect(insertSeatAs(patient)).rejects.toBeInstanceOf(SqlPermissionDeniedError);
    expect(await insertSeatAs(patientActor(world, world.patientIds[0]!))).toBe(3);
    // Seats are freed only through queue.release_seat, and only for a cancelled appointment.
    await expect(
      withClaims(executor(), claimsForActor(patient), (tx) =>
        tx.query('DELETE FROM queue.appointment_seats WHERE group_slot_id = $1', [groupSlotId]),
      ),
    ).rejects.toBeInstanceOf(SqlPermissionDeniedError);
    const owner = patientActor(world, world.patientIds[0]!);
    await withClaims(executor(), claimsForActor(owner), (tx) =>
      sqlAppointmentRepository({ executor: tx }).releaseSeat(world.tenantId, unseated.id),
    );
    const seats = await asServiceRole(executor(), (tx) =>
      sqlAppointmentRepository({ executor: tx }).listSeats(world.tenantId, groupSlotId),
    );
    expect(seats.map((seat) => seat.seatNumber)).toEqual([1, 2, 3]);
  });

  it("expires only lapsed holds of the caller's tenant through the definer function", async () => {
    const world = await seedBookingWorld(executor());
    const hold = appointmentAt(world, '2026-03-02T10:00:00.000Z', 30, {
      status: 'pending',
      holdExpiresAt: '2026-03-02T07:00:00.000Z',
    });
    await asServiceRole(executor(), (tx) =>
      sqlAppointmentRepository({ executor: tx }).insert(hold),
    );
    const span = { start: '2026-03-02T09:00:00.000Z', end: '2026-03-02T11:00:00.000Z' };
    const expireAs = (actor: Actor) =>
      withClaims(executor(), claimsForActor(actor), (tx) =>
        sqlAppointmentRepository({ executor: tx }).expireHolds(
          world.tenantId,
          world.staffIds[0]!,
          span,
          '2030-01-01T00:00:00.000Z',
        ),
      );
    await freezeSqlClock(executor(), Date.parse('2026-03-02T08:00:00.000Z'));
    const stranger = await seedBookingWorld(executor());
    expect(await expireAs(receptionist(stranger))).toEqual([]);
    const patient = patientActor(world, world.patientIds[1]!);
    await freezeSqlClock(executor(), Date.parse('2026-03-02T06:59:59.000Z'));
    expect(await expireAs(patient)).toEqual([]);
    await freezeSqlClock(executor(), Date.parse('2026-03-02T08:00:00.000Z'));
    const expired = await expireAs(patient);
    expect(expired.map((row) => row.id)).toEqual([hold.id]);
    // The function changed the row but did not make it readable: the patient still sees nothing.
    const visible = await withClaims(executor(), claimsForActor(patient), (tx) =>
      sqlAppointmentRepository({ executor: tx }).get(world.tenantId, hold.id),
    );
    expect(visible).toBeUndefined();
    const stored = await asServiceRole(executor(), (tx) =>
      sqlAppointmentRepository({ executor: tx }).get(world.tenantId, hold.id),
    );
    expect(stored).toMatchObject({
      status: 'cancelled',
      cancellationDate: '2026-03-02T08:00:00.000Z',
      updatedAt: '2026-03-02T08:00:00.000Z',
    });
  });

  it("a patient cannot cancel another patient's live hold by passing p_now", async () => {
    const world = await seedBookingWorld(executor());
    // The other patient's hold lives until 08:10; the SQL clock says 08:00.
    const hold = appointmentAt(world, '2026-03-02T10:00:00.000Z', 30, {
      patientId: world.patientIds[0]!,
      status: 'pending',
      holdExpiresAt: '2026-03-02T08:10:00.000Z',
    });
    await asServiceRole(executor(), (tx) =>
      sqlAppointmentRepository({ executor: tx }).insert(hold),
    );
    await freezeSqlClock(executor(), Date.parse('2026-03-02T08:00:00.000Z'));
    const patient = patientActor(world, world.patientIds[1]!);
    const { rows } = await withClaims(executor(), claimsForActor(patient), (tx) =>
      tx.query(
        `SELECT * FROM queue.expire_overlapping_holds($1, $2,
           tstzrange('2026-03-02T00:00:00Z', '2026-03-03T00:00:00Z'), '2030-01-01T00:00:00Z')`,
        [world.tenantId, world.staffIds[0]],
      ),
    );
    expect(rows).toEqual([]);
    const stored = await asServiceRole(executor(), (tx) =>
      sqlAppointmentRepository({ executor: tx }).get(world.tenantId, hold.id),
    );
    expect(stored).toMatchObject({ status: 'pending', holdExpiresAt: hold.holdExpiresAt });
  });

  it('a role claim of service_role in the JWT grants nothing to authenticated', async () => {
    const world = await seedBookingWorld(executor());
    const stranger = await seedBookingWorld(executor());
    const lapsed = appointmentAt(world, '2026-03-02T10:00:00.000Z', 30, {
      status: 'pending',
      holdExpiresAt: '2026-03-02T07:00:00.000Z',
    });
    const groupSlotId = uuidv7();
    const seat = appointmentAt(world, '2026-03-02T15:00:00.000Z', 60, { groupSlotId });
    const lapsedOffer = appointmentAt(world, '2026-03-02T12:00:00.000Z', 30, {
      status: 'cancelled',
      cancellationReason: 'hold-expired',
    });
    const entryId = uuidv7();
    await asServiceRole(executor(), async (tx) => {
      const repo = sqlAppointmentRepository({ executor: tx });
      await repo.insert(lapsed);
      await repo.insert(seat);
      await repo.insert(lapsedOffer);
      await tx.query(
        `INSERT INTO queue.waitlist_entries (id, tenant_id, clinic_id, patient_id, service_type_id,
           status, offered_appointment_id, created_at, updated_at, version)
         VALUES ($1, $2, $3, $4, $5, 'offered', $6, $7, $7, 1)`,
        [
          entryId,
          world.tenantId,
          world.clinicId,
          world.patientIds[1],
          world.serviceTypeId,
          lapsedOffer.id,
          '2026-03-01T00:00:00.000Z',
        ],
      );
    });
    await freezeSqlClock(executor(), Date.parse('2026-03-02T08:00:00.000Z'));
    // A member of another tenant whose token says role service_role, run as authenticated.
    const forged = {
      ...claimsForActor(receptionist(stranger)),
      role: 'service_role',
    };
    const asForged = <T>(fn: (tx: SqlExecutor) => Promise<T>) =>
      executor().transaction(async (tx) => {
        await tx.query(
          "SELECT set_config('request.jwt.claims', $1, true), set_config('role', 'authenticated', true)",
          [JSON.stringify(forged)],
        );
        return fn(tx);
      });
    const range = "tstzrange('2026-03-02T00:00:00Z', '2026-03-03T00:00:00Z')";
    const expired = await asForged((tx) =>
      tx.query(`SELECT * FROM queue.expire_overlapping_holds($1, $2, ${range}, $3)`, [
        world.tenantId,
        world.staffIds[0],
        '2026-03-02T08:00:00.000Z',
      ]),
    );
    expect(expired.rows).toEqual([]);
    const busy = await asForged((tx) =>
      tx.query(`SELECT * FROM queue.staff_busy_ranges($1, $2, ${range})`, [
        world.tenantId,
        world.staffIds[0],
      ]),
    );
    expect(busy.rows).toEqual([]);
    const reopened = await asForged((tx) =>
      tx.query('SELECT * FROM queue.reopen_lapsed_offers($1, $2::uuid[], $3)', [
        world.tenantId,
        [lapsedOffer.id],
        '2026-03-02T08:00:00.000Z',
      ]),
    );
    expect(reopened.rows).toEqual([]);
    await expect(
      asForged((tx) =>
        tx.query('SELECT queue.take_seat($1, $2, $3, 5, $4)', [
          world.tenantId,
          groupSlotId,
          seat.id,
          '2026-03-02T08:00:00.000Z',
        ]),
      ),
    ).rejects.toBeInstanceOf(SqlPermissionDeniedError);
    const stored = await asServiceRole(executor(), async (tx) => ({
      hold: await sqlAppointmentRepository({ executor: tx }).get(world.tenantId, lapsed.id),
      entry: (
        await tx.query<{ status: string }>(
          'SELECT status FROM queue.waitlist_entries WHERE id = $1',
          [entryId],
        )
      ).rows[0],
      seats: await sqlAppointmentRepository({ executor: tx }).listSeats(
        world.tenantId,
        groupSlotId,
      ),
    }));
    expect(stored.hold?.status).toBe('pending');
    expect(stored.entry?.status).toBe('offered');
    expect(stored.seats).toEqual([]);
  });

  it("shows a patient another patient's busy range without its ids, and strangers nothing", async () => {
    const world = await seedBookingWorld(executor());
    const theirs = appointmentAt(world, '2026-03-02T10:00:00.000Z', 30, { bufferAfterMinutes: 5 });
    await asServiceRole(executor(), (tx) =>
      sqlAppointmentRepository({ executor: tx }).insert(theirs),
    );
    const span = { start: '2026-03-02T00:00:00.000Z', end: '2026-03-03T00:00:00.000Z' };
    const busyAs = (actor: Parameters<typeof claimsForActor>[0]) =>
      withClaims(executor(), claimsForActor(actor), async (tx) => {
        const repo = sqlAppointmentRepository({ executor: tx });
        return {
          busy: await repo.listBusy(world.tenantId, world.staffIds[0]!, span),
          rows: await repo.listOccupying(world.tenantId, world.staffIds[0]!, span),
        };
      });
    const other = await busyAs(patientActor(world, world.patientIds[1]!));
    expect(other.rows).toEqual([]);
    expect(other.busy).toEqual([
      {
        start: theirs.start,
        end: theirs.end,
        bufferBeforeMinutes: 0,
        bufferAfterMinutes: 5,
        status: 'booked',
        serviceTypeId: world.serviceTypeId,
      },
    ]);
    const stranger = await seedBookingWorld(executor());
    expect((await busyAs(receptionist(stranger))).busy).toEqual([]);
  });

  it('enables and forces row-level security on the seat table', async () => {
    const { rows } = await executor().query<{
      relrowsecurity: boolean;
      relforcerowsecurity: boolean;
    }>(
      "SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE oid = 'queue.appointment_seats'::regclass",
    );
    expect(rows).toEqual([{ relrowsecurity: true, relforcerowsecurity: true }]);
  });
}
