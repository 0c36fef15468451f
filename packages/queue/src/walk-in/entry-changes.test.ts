import { ClinicId, QueueId, TenantId, uuidv7 } from '@carequeue/core';
import { describe, expect, it, vi } from 'vitest';
import { memoryClinicRepository } from '../clinics/index.js';
import { createServiceTimeTracker } from '../estimation/index.js';
import { sampleClinic } from '../testing/clinic-repository-contract.js';
import { memoryServiceDependencies, staffActorOf } from '../../test/memory-service-fixture.js';
import { entryChangeRunner, pendingEventOf } from './entry-changes.js';
import { memoryWalkInUnitOfWork } from './memory/walk-in-unit-of-work.js';
import { insertWaitingEntry } from './new-queue-entry.js';
import type { QueueEvent, QueueEventSink } from './ports/queue-event.js';
import type { WalkInWorkScope } from './ports/walk-in-unit-of-work.js';
import { DEFAULT_QUEUE_AGING } from './queue-ordering.js';
import { queueServiceSettings, type QueueServiceOptions } from './queue-service-options.js';
import { queueSummaryCacheKey } from './queue-summary-cache-key.js';

const tenantId = TenantId.parse(uuidv7());
const clinicId = ClinicId.parse(uuidv7());
const desk = staffActorOf(tenantId, ['receptionist'], { clinicIds: [clinicId] });
const MINUTE = 60_000;

async function runnerWith(overrides: Partial<QueueServiceOptions> = {}) {
  const dependencies = memoryServiceDependencies();
  const { clock, auditStore, audit, cache } = dependencies;
  const clinics = memoryClinicRepository();
  await clinics.insert(sampleClinic(tenantId, { id: clinicId }));
  const unitOfWork = memoryWalkInUnitOfWork({ auditStore, clinics });
  const serviceTimes = createServiceTimeTracker({
    defaultPrior: { meanMs: 10 * MINUTE, sdMs: 5 * MINUTE },
  });
  const settings = queueServiceSettings({
    unitOfWork,
    audit,
    cache,
    clock,
    serviceTimes,
    ...overrides,
  });
  return { run: entryChangeRunner(settings), unitOfWork, cache, clock, serviceTimes, dependencies };
}

function walkIn(unit: WalkInWorkScope, queueId: QueueId, now: string) {
  return insertWaitingEntry(unit, DEFAULT_QUEUE_AGING, {
    tenantId,
    clinicId,
    queueId,
    source: 'walk-in',
    priority: 0,
    checkedInAt: now,
    effectiveAt: now,
  });
}

describe('entryChangeRunner', () => {
  it('appends no event, audits nothing and calls no hook when the work changes nothing', async () => {
    const afterCommit = vi.fn();
    const write = vi.fn<QueueEventSink['write']>();
    const { run, cache, dependencies } = await runnerWith({ afterCommit, eventSink: { write } });
    const dropped = vi.spyOn(cache, 'delete');
    expect(await run(desk, () => Promise.resolve([]))).toEqual([]);
    expect(write).not.toHaveBeenCalled();
    expect(afterCommit).not.toHaveBeenCalled();
    expect(dropped).not.toHaveBeenCalled();
    expect(await dependencies.events(tenantId)).toEqual([]);
  });

  it('audits each change, appends its events in order and hands them to the sink and the hook', async () => {
    const published: QueueEvent[] = [];
    const written: QueueEvent[] = [];
    const { run, dependencies } = await runnerWith({
      eventSink: {
        write: (events) => {
          written.push(...events);
          return Promise.resolve();
        },
      },
      afterCommit: (events) => {
        published.push(...events);
      },
    });
    const queueId = QueueId.parse(uuidv7());
    const changes = await run(desk, async (unit, now) => {
      const first = await walkIn(unit, queueId, now);
      const second = await walkIn(unit, queueId, now);
      return [
        { before: null, after: first, type: 'checked_in' },
        { before: null, after: second, type: 'checked_in' },
      ];
    });
    expect(published.map((event) => event.entryId)).toEqual(changes.map((c) => c.after.id));
    expect(published.map((event) => event.version)).toEqual([1, 2]);
    expect(written).toEqual(published);
    const actions = (await dependencies.events(tenantId)).map((event) => event.action);
    expect(actions).toEqual(['queue.checked_in', 'queue.checked_in']);
  });

  it('drops the cached summary of every line it changed, once per line', async () => {
    const { run, cache } = await runnerWith();
    const [lineOne, lineTwo] = [QueueId.parse(uuidv7()), QueueId.parse(uuidv7())];
    const dropped = vi.spyOn(cache, 'delete');
    await run(desk, async (unit, now) => {
      const entries = [
        await walkIn(unit, lineOne, now),
        await walkIn(unit, lineOne, now),
        await walkIn(unit, lineTwo, now),
      ];
      return entries.map((after) => ({ before: null, after, type: 'checked_in' as const }));
    });
    expect(dropped.mock.calls.map(([key]) => key).sort()).toEqual(
      [queueSummaryCacheKey(clinicId, lineOne), queueSummaryCacheKey(clinicId, lineTwo)].sort(),
    );
  });

  it('feeds the duration of a completed service to the tracker after commit', async () => {
    const { run, serviceTimes } = await runnerWith();
    const observed = vi.spyOn(serviceTimes, 'observe');
    const queueId = QueueId.parse(uuidv7());
    await run(desk, async (unit, now) => {
      const waiting = await walkIn(unit, queueId, now);
      const completed = {
        ...waiting,
        status: 'completed' as const,
        serviceStartedAt: new Date(Date.parse(now) - 12 * MINUTE).toISOString(),
        endedAt: now,
        version: 1,
      };
      return [
        { before: null, after: waiting, type: 'checked_in' },
        { before: waiting, after: completed, type: 'completed' },
      ];
    });
    expect(observed.mock.calls).toEqual([['default', 12 * MINUTE]]);
  });

  it('passes an error of the afterCommit hook to onHookError once the change has committed', async () => {
    const failure = new Error('bus down');
    const onHookError = vi.fn();
    const { run, unitOfWork } = await runnerWith({
      afterCommit: () => Promise.reject(failure),
      onHookError,
    });
    const queueId = QueueId.parse(uuidv7());
    const [change] = await run(desk, async (unit, now) => [
      { before: null, after: await walkIn(unit, queueId, now), type: 'checked_in' },
    ]);
    expect(onHookError).toHaveBeenCalledWith(failure);
    const stored = await unitOfWork.run(desk, (unit) =>
      unit.entries.get(tenantId, change?.after.id as never),
    );
    expect(stored?.id).toBe(change?.after.id);
  });
});

describe('pendingEventOf', () => {
  it('gives a new entry no previous status and carries ids, statuses and versions only', async () => {
    const { run } = await runnerWith();
    const queueId = QueueId.parse(uuidv7());
    const [change] = await run(desk, async (unit, now) => {
      const entry = await insertWaitingEntry(unit, DEFAULT_QUEUE_AGING, {
        tenantId,
        clinicId,
        queueId,
        guestName: 'Walk-in Guest',
        source: 'walk-in',
        priority: 0,
        checkedInAt: now,
        effectiveAt: now,
      });
      return [{ before: null, after: entry, type: 'checked_in' }];
    });
    const created = change!;
    const event = pendingEventOf(created);
    expect(event).not.toHaveProperty('fromStatus');
    expect(JSON.stringify(event)).not.toContain('Walk-in Guest');
    const called = { ...created.after, status: 'called' as const, version: 1 };
    expect(pendingEventOf({ before: created.after, after: called, type: 'called' })).toMatchObject({
      fromStatus: 'waiting',
      toStatus: 'called',
      entryVersion: 1,
      type: 'called',
    });
  });
});
