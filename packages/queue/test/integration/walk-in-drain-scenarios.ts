import { QueueId, uuidv7, type Actor, type ClinicId, type TenantId } from '@carequeue/core';
import { expect, it } from 'vitest';
import type { SqlExecutor } from '@carequeue/core/sql';
import type { QueueService } from '../../src/index.js';
import { seedClinic, staffActor } from './service-fixtures.js';
import { seedWaitingSql, sqlQueueService } from './walk-in-fixtures.js';

/** What a drain scenario runs against: a service and a way to seed waiting entries. */
export interface DrainSubject {
  readonly service: QueueService;
  readonly tenantId: TenantId;
  readonly clinicId: ClinicId;
  readonly staff: Actor;
  readonly seed: (queueId: QueueId, count: number) => Promise<string[]>;
}

/** A {@link DrainSubject} on SQL storage: a new tenant and clinic, a receptionist at it. */
export async function sqlDrainSubject(executor: SqlExecutor): Promise<DrainSubject> {
  const { tenantId, clinicId } = await seedClinic(executor);
  return {
    service: sqlQueueService(executor),
    tenantId,
    clinicId,
    staff: staffActor(tenantId, ['receptionist'], [clinicId]),
    seed: (queueId, count) => seedWaitingSql(executor, tenantId, clinicId, queueId, count),
  };
}

/**
 * Acceptance 1 of issue 12: callers draining a line concurrently call every patient exactly
 * once, and the line's events are numbered without gaps.
 */
export function drainScenarios(
  subject: () => Promise<DrainSubject>,
  entries = 1000,
  callers = 10,
): void {
  it(`calls each of ${String(entries)} patients exactly once when ${String(callers)} callers drain the line concurrently`, async () => {
    const { service, clinicId, staff, seed } = await subject();
    const queueId = QueueId.parse(uuidv7());
    const seeded = await seed(queueId, entries);
    const calledBy = Array.from({ length: callers }, () => [] as string[]);
    await Promise.all(
      calledBy.map(async (calls, caller) => {
        for (;;) {
          const called = await service.callNext(staff, {
            clinicId,
            queueId,
            counter: `Desk ${String(caller + 1)}`,
          });
          if (called === undefined) return;
          expect(called.status).toBe('called');
          calls.push(called.id);
        }
      }),
    );
    const all = calledBy.flat();
    expect(all).toHaveLength(entries);
    expect(new Set(all).size).toBe(entries);
    expect([...all].sort()).toEqual([...seeded].sort());
    expect(calledBy.filter((calls) => calls.length > 0).length).toBeGreaterThan(1);
    const events = await service.events(staff, { clinicId, queueId }, 0, 1000);
    const more = await service.events(staff, { clinicId, queueId }, 1000, 1000);
    const versions = [...events, ...more].map((event) => event.version);
    expect(versions).toEqual(Array.from({ length: entries }, (_, index) => index + 1));
    expect(new Set([...events, ...more].map((event) => event.entryId)).size).toBe(entries);
    expect(await service.callNext(staff, { clinicId, queueId })).toBeUndefined();
  });
}
