import { uuidv7 } from '@carequeue/core';
import {
  asServiceRole,
  claimsForActor,
  SqlPermissionDeniedError,
  withClaims,
  type SqlExecutor,
} from '@carequeue/core/sql';
import { expect, it } from 'vitest';
import { sqlAppointmentRepository } from '../../src/adapters/sql-appointment-repository.js';
import {
  appointmentAt,
  patientActor,
  receptionist,
  seedBookingWorld,
  type BookingWorld,
} from './booking-fixtures.js';

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
    const deleted = await withClaims(executor(), claimsForActor(patient), (tx) =>
      tx.query('DELETE FROM queue.appointment_seats WHERE group_slot_id = $1', [groupSlotId]),
    );
    expect(deleted.rowCount).toBe(0);
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
    const stranger = await seedBookingWorld(executor());
    const fromStranger = await withClaims(
      executor(),
      claimsForActor(receptionist(stranger)),
      (tx) =>
        sqlAppointmentRepository({ executor: tx }).expireHolds(
          world.tenantId,
          world.staffIds[0]!,
          span,
          '2026-03-02T08:00:00.000Z',
        ),
    );
    expect(fromStranger).toEqual([]);
    const patient = patientActor(world, world.patientIds[1]!);
    const early = await withClaims(executor(), claimsForActor(patient), (tx) =>
      sqlAppointmentRepository({ executor: tx }).expireHolds(
        world.tenantId,
        world.staffIds[0]!,
        span,
        '2026-03-02T06:59:59.000Z',
      ),
    );
    expect(early).toEqual([]);
    const expired = await withClaims(executor(), claimsForActor(patient), (tx) =>
      sqlAppointmentRepository({ executor: tx }).expireHolds(
        world.tenantId,
        world.staffIds[0]!,
        span,
        '2026-03-02T08:00:00.000Z',
      ),
    );
    expect(expired.map((row) => row.id)).toEqual([hold.id]);
    // The function changed the row but did not make it readable: the patient still sees nothing.
    const visible = await withClaims(executor(), claimsForActor(patient), (tx) =>
      sqlAppointmentRepository({ executor: tx }).get(world.tenantId, hold.id),
    );
    expect(visible).toBeUndefined();
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
