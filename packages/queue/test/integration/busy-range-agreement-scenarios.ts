// The busy range with buffers and the no-double-booking rule are written twice: in TypeScript
// (appointmentBusyRange, appointmentsConflict), which the memory adapters and availability use,
// and in SQL (the busy_range trigger and the appointments_no_overlap exclusion constraint of
// the migrations). The TypeScript rule is the spec; these properties check the SQL agrees on
// generated appointments.
import { MINUTE_MS, uuidv7 } from '@carequeue/core';
import { asServiceRole, ExclusionViolationError, type SqlExecutor } from '@carequeue/core/sql';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import {
  appointmentBusyRange,
  appointmentsConflict,
} from '../../src/booking/appointment-busy-range.js';
import type { StoredAppointment } from '../../src/booking/ports/appointment-repository.js';
import { appointmentAt, type BookingWorld } from './booking-fixtures.js';

/** What the database stored as the appointment's busy range, with its bound kinds. */
interface StoredBusyRange {
  readonly start: number;
  readonly end: number;
  readonly startIncluded: boolean;
  readonly endIncluded: boolean;
}

/** Thrown to roll a case back: nothing a case writes outlives it. */
class CaseDone<T> extends Error {
  constructor(readonly outcome: T) {
    super('case done');
  }
}

async function inRolledBackTransaction<T>(
  executor: SqlExecutor,
  work: (tx: SqlExecutor) => Promise<T>,
): Promise<T> {
  try {
    await asServiceRole(executor, async (tx) => {
      throw new CaseDone(await work(tx));
    });
  } catch (error: unknown) {
    if (error instanceof CaseDone) return error.outcome as T;
    throw error;
  }
  throw new Error('the case transaction committed');
}

async function insertAppointment(tx: SqlExecutor, a: StoredAppointment): Promise<void> {
  await tx.query(
    `INSERT INTO queue.appointments (id, tenant_id, clinic_id, patient_id, staff_id,
       service_type_id, status, starts_at, ends_at, created_at, updated_at, version,
       buffer_before_minutes, buffer_after_minutes, group_slot_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, 0, $11, $12, $13)`,
    [
      a.id,
      a.tenantId,
      a.clinicId,
      a.patientId,
      a.staffId,
      a.serviceTypeId,
      a.status,
      a.start,
      a.end,
      a.createdAt,
      a.bufferBeforeMinutes,
      a.bufferAfterMinutes,
      a.groupSlotId ?? null,
    ],
  );
}

async function storedBusyRange(tx: SqlExecutor, id: string): Promise<StoredBusyRange> {
  const { rows } = await tx.query<{
    start_ms: number;
    end_ms: number;
    start_included: boolean;
    end_included: boolean;
  }>(
    `SELECT (extract(epoch FROM lower(busy_range)) * 1000)::float8 AS start_ms,
       (extract(epoch FROM upper(busy_range)) * 1000)::float8 AS end_ms,
       lower_inc(busy_range) AS start_included, upper_inc(busy_range) AS end_included
     FROM queue.appointments WHERE id = $1`,
    [id],
  );
  const row = rows[0]!;
  return {
    start: Number(row.start_ms),
    end: Number(row.end_ms),
    startIncluded: row.start_included,
    endIncluded: row.end_included,
  };
}

/** Inserts `second` after `first`; true when the exclusion constraint refuses it. */
async function refusedAfter(
  tx: SqlExecutor,
  first: StoredAppointment,
  second: StoredAppointment,
): Promise<boolean> {
  await insertAppointment(tx, first);
  await tx.query('SAVEPOINT second_appointment');
  try {
    await insertAppointment(tx, second);
    return false;
  } catch (error: unknown) {
    if (!(error instanceof ExclusionViolationError)) throw error;
    await tx.query('ROLLBACK TO SAVEPOINT second_appointment');
    return true;
  }
}

// 2020 to 2035: years of daylight-saving changes, leap days and year ends.
const instantArb = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 0, 1) });
// Mostly whole minutes, so ranges that touch exactly come up often; sometimes any millisecond.
const jitterArb = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: MINUTE_MS - 1 }));
const visitArb = fc.record({
  durationMinutes: fc.integer({ min: 1, max: 720 }),
  bufferBeforeMinutes: fc.integer({ min: 0, max: 240 }),
  bufferAfterMinutes: fc.integer({ min: 0, max: 240 }),
  jitterMs: jitterArb,
});
const statusArb = fc.constantFrom(
  'pending',
  'booked',
  'arrived',
  'checked-in',
  'cancelled',
  'fulfilled',
  'noshow',
) satisfies fc.Arbitrary<StoredAppointment['status']>;

type Visit = typeof visitArb extends fc.Arbitrary<infer V> ? V : never;

function appointmentOf(
  world: BookingWorld,
  startMs: number,
  visit: Visit,
  fields: Partial<StoredAppointment>,
): StoredAppointment {
  const start = new Date(startMs).toISOString();
  const appointment = appointmentAt(world, start, visit.durationMinutes, {
    bufferBeforeMinutes: visit.bufferBeforeMinutes,
    bufferAfterMinutes: visit.bufferAfterMinutes,
    ...fields,
  });
  return {
    ...appointment,
    end: new Date(Date.parse(appointment.end) + visit.jitterMs).toISOString(),
  };
}

/** The agreement properties, run against one migrated database per engine. */
export function busyRangeAgreementScenarios(setup: {
  world: () => Promise<BookingWorld>;
  executor: () => SqlExecutor;
}): void {
  it('stores the busy range appointmentBusyRange computes, start included and end excluded', async () => {
    const world = await setup.world();
    await fc.assert(
      fc.asyncProperty(instantArb, visitArb, async (startMs, visit) => {
        const appointment = appointmentOf(world, startMs, visit, {});
        const stored = await inRolledBackTransaction(setup.executor(), async (tx) => {
          await insertAppointment(tx, appointment);
          return storedBusyRange(tx, appointment.id);
        });
        expect(stored).toEqual({
          ...appointmentBusyRange(appointment),
          startIncluded: true,
          endIncluded: false,
        });
      }),
      { numRuns: 150 },
    );
  });

  it('refuses a second appointment exactly when appointmentsConflict says the two conflict', async () => {
    const world = await setup.world();
    const [staffA, staffB] = world.staffIds;
    const seen = { refused: 0, accepted: 0 };
    await fc.assert(
      fc.asyncProperty(
        instantArb,
        visitArb,
        visitArb,
        fc.constantFrom('after', 'before'),
        // The gap between the two busy ranges: often none (they touch), negative when they overlap.
        fc.oneof(fc.constant(0), fc.integer({ min: -1500 * MINUTE_MS, max: 1500 * MINUTE_MS })),
        fc.tuple(statusArb, statusArb),
        fc.boolean(),
        fc.constantFrom('none', 'shared', 'separate'),
        async (startMs, firstVisit, secondVisit, side, gapMs, statuses, sameStaff, groups) => {
          const shared = uuidv7();
          const groupOf = () =>
            groups === 'none' ? {} : { groupSlotId: groups === 'shared' ? shared : uuidv7() };
          const first = appointmentOf(world, startMs, firstVisit, {
            status: statuses[0],
            staffId: staffA!,
            ...groupOf(),
          });
          const firstBusy = appointmentBusyRange(first);
          const secondLengthMs = secondVisit.durationMinutes * MINUTE_MS + secondVisit.jitterMs;
          const secondStartMs =
            side === 'after'
              ? firstBusy.end + gapMs + secondVisit.bufferBeforeMinutes * MINUTE_MS
              : firstBusy.start -
                gapMs -
                secondVisit.bufferAfterMinutes * MINUTE_MS -
                secondLengthMs;
          const second = appointmentOf(world, secondStartMs, secondVisit, {
            status: statuses[1],
            staffId: sameStaff ? staffA! : staffB!,
            ...groupOf(),
          });
          const refused = await inRolledBackTransaction(setup.executor(), (tx) =>
            refusedAfter(tx, first, second),
          );
          seen[refused ? 'refused' : 'accepted'] += 1;
          expect(refused).toBe(appointmentsConflict(first, second));
        },
      ),
      { numRuns: 300 },
    );
    // The generated pairs must exercise both answers, or agreement would prove little.
    expect(seen.refused).toBeGreaterThan(0);
    expect(seen.accepted).toBeGreaterThan(0);
  });
}
