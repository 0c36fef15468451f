import { ClinicId, QueueId, TenantId, uuidv7, type QueueEntryId } from '@carequeue/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createQueueService } from './queue-service.js';
import { memoryWalkInUnitOfWork } from './memory/walk-in-unit-of-work.js';
import { memoryClinicRepository } from '../clinics/index.js';
import { sampleClinic } from '../testing/clinic-repository-contract.js';
import { memoryServiceDependencies, staffActorOf } from '../../test/memory-service-fixture.js';

const MINUTE = 60_000;
const START = Date.UTC(2026, 2, 2, 8);
const tenantId = TenantId.parse(uuidv7());
const clinicId = ClinicId.parse(uuidv7());
const desk = staffActorOf(tenantId, ['receptionist'], { clinicIds: [clinicId] });

interface Scenario {
  /** Staff calling from the line. */
  readonly servers: number;
  readonly serviceMs: number;
  readonly maxWaitMs: number;
  readonly urgentPriority: number;
  /** Time between urgent arrivals; never below serviceMs / servers, so the line is stable. */
  readonly urgentGapMs: number;
  /** When the normal-priority patient arrives, after the urgent stream started. */
  readonly normalAtMs: number;
  /** Urgent patients already waiting when the clinic opens, so every server is busy. */
  readonly backlog: number;
}

/**
 * Runs a clinic where urgent patients keep arriving and every free server calls the next patient
 * at once; returns how long the one normal-priority patient waited until called, or undefined
 * when they were still waiting after `horizonMs`.
 */
async function waitOfNormalPatient(s: Scenario, horizonMs: number): Promise<number | undefined> {
  const { clock, auditStore, audit, cache } = memoryServiceDependencies();
  clock.set(START);
  const clinics = memoryClinicRepository();
  await clinics.insert(sampleClinic(tenantId, { id: clinicId }));
  const queue = createQueueService({
    unitOfWork: memoryWalkInUnitOfWork({ auditStore, clinics }),
    audit,
    cache,
    clock,
    aging: { maxWaitMs: s.maxWaitMs },
  });
  const line = { clinicId, queueId: QueueId.parse(uuidv7()) };
  const busyUntil: (number | undefined)[] = Array.from({ length: s.servers }, () => undefined);
  const serving: (QueueEntryId | undefined)[] = Array.from({ length: s.servers }, () => undefined);
  let nextUrgent = 0;
  let normal: QueueEntryId | undefined;
  for (let index = 0; index < s.backlog; index += 1) {
    await queue.checkInWalkIn(desk, { ...line, priority: s.urgentPriority });
  }
  for (;;) {
    const now = clock.now() - START;
    if (now > s.normalAtMs + horizonMs) return undefined;
    for (let server = 0; server < s.servers; server += 1) {
      const entryId = serving[server];
      if (entryId !== undefined && busyUntil[server] === now) {
        await queue.complete(desk, entryId);
        serving[server] = undefined;
        busyUntil[server] = undefined;
      }
    }
    if (nextUrgent === now) {
      await queue.checkInWalkIn(desk, { ...line, priority: s.urgentPriority });
      nextUrgent += s.urgentGapMs;
    }
    if (normal === undefined && now === s.normalAtMs) {
      normal = (await queue.checkInWalkIn(desk, line)).id;
    }
    for (let server = 0; server < s.servers; server += 1) {
      if (serving[server] !== undefined) continue;
      const called = await queue.callNext(desk, line);
      if (called === undefined) break;
      if (called.id === normal) return now - s.normalAtMs;
      await queue.startService(desk, called.id);
      serving[server] = called.id;
      busyUntil[server] = now + s.serviceMs;
    }
    const upcoming = [
      nextUrgent,
      ...(normal === undefined ? [s.normalAtMs] : []),
      ...busyUntil.filter((at): at is number => at !== undefined),
    ];
    clock.set(START + Math.min(...upcoming));
  }
}

const scenarios = fc
  .record({
    servers: fc.integer({ min: 1, max: 3 }),
    maxWaitMinutes: fc.integer({ min: 20, max: 90 }),
    serviceShare: fc.double({ min: 0.03, max: 0.08, noNaN: true }),
    urgentPriority: fc.integer({ min: 1, max: 100 }),
    gapFactor: fc.double({ min: 1, max: 1.5, noNaN: true }),
    normalAfterServices: fc.integer({ min: 0, max: 5 }),
    extraBacklog: fc.integer({ min: 1, max: 3 }),
  })
  .map((r): Scenario => {
    const maxWaitMs = r.maxWaitMinutes * MINUTE;
    const serviceMs = Math.round(maxWaitMs * r.serviceShare);
    return {
      servers: r.servers,
      serviceMs,
      maxWaitMs,
      urgentPriority: r.urgentPriority,
      urgentGapMs: Math.ceil((serviceMs / r.servers) * r.gapFactor),
      normalAtMs: r.normalAfterServices * serviceMs + 1,
      backlog: r.servers + r.extraBacklog,
    };
  });

describe('queue aging', () => {
  it('calls a normal-priority patient within the maximum wait under sustained urgent arrivals', async () => {
    await fc.assert(
      fc.asyncProperty(scenarios, async (scenario) => {
        const waited = await waitOfNormalPatient(scenario, 3 * scenario.maxWaitMs);
        expect(waited).toBeDefined();
        expect(waited).toBeLessThanOrEqual(scenario.maxWaitMs);
      }),
      { numRuns: 40, seed: 20_261_125 },
    );
  });

  it('starves the same patient when priorities do not age', async () => {
    const scenario: Scenario = {
      servers: 2,
      serviceMs: 6 * MINUTE,
      maxWaitMs: 60 * MINUTE,
      urgentPriority: 10,
      urgentGapMs: 3 * MINUTE,
      normalAtMs: 1,
      backlog: 3,
    };
    // A horizon of a century is strict priority within any working day.
    const strict = { ...scenario, maxWaitMs: 100 * 365 * 24 * 60 * MINUTE };
    expect(await waitOfNormalPatient(strict, 3 * scenario.maxWaitMs)).toBeUndefined();
    const aged = await waitOfNormalPatient(scenario, 3 * scenario.maxWaitMs);
    expect(aged).toBeLessThanOrEqual(scenario.maxWaitMs);
  });
});
