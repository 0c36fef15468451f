import { ClinicId, QueueId, TenantId, uuidv7, type Actor } from '@carequeue/core';
import { asServiceRole, createPgExecutor, type SqlExecutor } from '@carequeue/core/sql';
import { requirePostgres, useTestDatabase, waitUntil } from '@carequeue/test-harness';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { QueueEntryRepository, WalkInUnitOfWork } from '../../src/index.js';
import { sqlWalkInUnitOfWork } from '../../src/postgres/index.js';
import { staffActor } from './service-fixtures.js';
import { seedTwoTenants, type SeededTenant } from './tenant-fixture.js';
import { seedWaitingSql, sqlQueueService } from './walk-in-fixtures.js';

const postgres = await requirePostgres();

// Long enough for a loaded shared machine; a caller that waits on the held one never finishes
// within it, because the held one is released only after the wait.
const OTHER_CALLER_MS = 20_000;

type HeldStep = 'claimNext' | 'appendEvents';

/**
 * A unit of work whose first call of `step` pauses, after the statement ran, until the test
 * releases it: that caller's transaction stays open with every lock the step took.
 */
function holdingUnitOfWork(executor: SqlExecutor, step: HeldStep) {
  const inner = sqlWalkInUnitOfWork({ executor });
  let armed = true;
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let reached!: (heldEntryId: string | undefined) => void;
  const held = new Promise<string | undefined>((resolve) => (reached = resolve));

  function holding(entries: QueueEntryRepository): QueueEntryRepository {
    const pause = async <T>(result: T, heldEntryId: string | undefined): Promise<T> => {
      if (!armed) return result;
      armed = false;
      reached(heldEntryId);
      await released;
      return result;
    };
    return step === 'claimNext'
      ? {
          ...entries,
          claimNext: async (claim) => {
            const claimed = await entries.claimNext(claim);
            return pause(claimed, claimed?.id);
          },
        }
      : {
          ...entries,
          appendEvents: async (pending) => {
            const appended = await entries.appendEvents(pending);
            return pause(appended, pending[0]?.entryId);
          },
        };
  }

  const unitOfWork: WalkInUnitOfWork = {
    run: (actor, work) =>
      inner.run(actor, (scope) => work({ ...scope, entries: holding(scope.entries) })),
    readLine: (work) => inner.readLine(work),
  };
  return { unitOfWork, held, release };
}

/** Tracks whether a promise has settled, without awaiting it. */
function settlement<T>(promise: Promise<T>): { settled: () => boolean; promise: Promise<T> } {
  let done = false;
  const tracked = promise.finally(() => {
    done = true;
  });
  // A caller left unawaited by a failed assertion must not add an unhandled rejection.
  tracked.catch(() => undefined);
  return { settled: () => done, promise: tracked };
}

/** Committed status and `called` events of each entry of the lines, read on another connection. */
async function committedCalls(
  executor: SqlExecutor,
  tenantId: string,
  queueIds: readonly QueueId[],
): Promise<Record<string, { status: string; calledEvents: number }>> {
  return asServiceRole(executor, async (tx) => {
    const { rows } = await tx.query<{ id: string; status: string; called_events: unknown }>(
      `SELECT entry.id, entry.status,
              (SELECT count(*) FROM queue.queue_events event
               WHERE event.entry_id = entry.id AND event.type = 'called') AS called_events
       FROM queue.queue_entries entry
       WHERE entry.tenant_id = $1 AND entry.queue_id = ANY($2::uuid[])`,
      [tenantId, [...queueIds]],
    );
    return Object.fromEntries(
      rows.map((row) => [row.id, { status: row.status, calledEvents: Number(row.called_events) }]),
    );
  });
}

// What ADR 0008 promises concurrent callers, and what it does not:
// - the claim (`FOR UPDATE SKIP LOCKED`) never waits: a row another open transaction has claimed
//   is skipped, so a caller gets the next entry instead of waiting for, or repeating, that claim;
// - each line's event versions come from its line row, locked from the event append to the
//   commit, so callers of ONE line commit one at a time once they reach the append (by design,
//   see the ADR's consequences); callers of DIFFERENT lines never share a row, so never wait.
// PGlite runs transactions one after another on its single connection, so a held transaction
// there holds every other caller: these guarantees need a real server.
describe.skipIf(!postgres.available)(
  'QueueService.callNext: concurrent callers do not block one another, on Postgres',
  () => {
    const db = useTestDatabase({ poolSize: 6 });
    let t: SeededTenant;
    let executor: SqlExecutor;
    let desk: Actor;
    let clinicId: ClinicId;
    let releaseHeld: (() => void) | undefined;

    beforeAll(async () => {
      executor = createPgExecutor({ pool: db.pool });
      ({ a: t } = await seedTwoTenants(executor));
      clinicId = ClinicId.parse(t.clinicOne);
      desk = staffActor(TenantId.parse(t.tenantId), ['receptionist'], [clinicId]);
    });

    // A failed assertion must not leave the held transaction (and its pool connection) open.
    afterEach(() => {
      releaseHeld?.();
      releaseHeld = undefined;
    });

    it('gives a second caller of the same line the next entry without waiting when another caller holds its claim open (ADR 0008: SKIP LOCKED claim)', async () => {
      const line = QueueId.parse(uuidv7());
      const seeded = await seedWaitingSql(executor, desk.tenantId, clinicId, line, 2);
      const hold = holdingUnitOfWork(executor, 'claimNext');
      releaseHeld = hold.release;
      const service = sqlQueueService(executor, { unitOfWork: hold.unitOfWork });

      const first = settlement(
        service.callNext(desk, { clinicId, queueId: line, counter: 'Room 1' }),
      );
      const firstClaimed = await hold.held;
      expect(firstClaimed).toBe(seeded[0]);

      const second = settlement(
        service.callNext(desk, { clinicId, queueId: line, counter: 'Room 2' }),
      );
      await waitUntil(second.settled, {
        timeoutMs: OTHER_CALLER_MS,
        description: 'the second caller to finish while the first holds its claim open',
      });
      const secondCalled = await second.promise;
      expect(secondCalled?.id).toBe(seeded[1]);

      // The first caller's transaction is still open: its claim is not committed yet.
      expect(first.settled()).toBe(false);
      expect(await committedCalls(executor, t.tenantId, [line])).toEqual({
        [seeded[0] as string]: { status: 'waiting', calledEvents: 0 },
        [seeded[1] as string]: { status: 'called', calledEvents: 1 },
      });

      hold.release();
      const firstCalled = await first.promise;
      expect(firstCalled?.id).toBe(seeded[0]);
      expect(await committedCalls(executor, t.tenantId, [line])).toEqual({
        [seeded[0] as string]: { status: 'called', calledEvents: 1 },
        [seeded[1] as string]: { status: 'called', calledEvents: 1 },
      });
      // Versions follow commit order: the second caller committed first.
      const events = await service.events(desk, { clinicId, queueId: line }, 0);
      expect(events.map((event) => [event.version, event.entryId])).toEqual([
        [1, seeded[1]],
        [2, seeded[0]],
      ]);
    });

    it('lets a caller of another line of the clinic finish when a caller holds its claim and its line row open (ADR 0008: lines never wait on each other)', async () => {
      const front = QueueId.parse(uuidv7());
      const lab = QueueId.parse(uuidv7());
      const [frontEntry] = await seedWaitingSql(executor, desk.tenantId, clinicId, front, 1);
      const [labEntry] = await seedWaitingSql(executor, desk.tenantId, clinicId, lab, 1);
      // Held after the event append: the first caller holds the claimed row and its line row.
      const hold = holdingUnitOfWork(executor, 'appendEvents');
      releaseHeld = hold.release;
      const service = sqlQueueService(executor, { unitOfWork: hold.unitOfWork });

      const first = settlement(
        service.callNext(desk, { clinicId, queueId: front, counter: 'Room 1' }),
      );
      expect(await hold.held).toBe(frontEntry);

      const second = settlement(
        service.callNext(desk, { clinicId, queueId: lab, counter: 'Room 2' }),
      );
      await waitUntil(second.settled, {
        timeoutMs: OTHER_CALLER_MS,
        description: 'the caller of the other line to finish while the first holds its line open',
      });
      expect((await second.promise)?.id).toBe(labEntry);

      expect(first.settled()).toBe(false);
      expect(await committedCalls(executor, t.tenantId, [front, lab])).toEqual({
        [frontEntry as string]: { status: 'waiting', calledEvents: 0 },
        [labEntry as string]: { status: 'called', calledEvents: 1 },
      });

      hold.release();
      expect((await first.promise)?.id).toBe(frontEntry);
      expect(await committedCalls(executor, t.tenantId, [front, lab])).toEqual({
        [frontEntry as string]: { status: 'called', calledEvents: 1 },
        [labEntry as string]: { status: 'called', calledEvents: 1 },
      });
    });
  },
);
