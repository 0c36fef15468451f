import { QueueEntryId, QueueId, uuidv7, ValidationError } from '@carequeue/core';
import type { ClinicId, PatientId, TenantId } from '@carequeue/core';
import { ForeignKeyViolationError } from '@carequeue/core/sql';
import type { ContractFixtures, ContractRunner } from './contract-types.js';
import type { QueueEntryRepository } from '../walk-in/ports/queue-entry-repository.js';
import type { StoredQueueEntry } from '../walk-in/queue-entry-record.js';
import type { PendingQueueEvent } from '../walk-in/ports/queue-event.js';
import { QueueClinicMismatchError } from '../walk-in/walk-in-errors.js';

/**
 * Options of {@link runQueueEntryRepositoryContract}. `run` gives each call its own unit of
 * work (its own transaction on SQL), so concurrent claims really compete.
 *
 * @example
 * ```ts
 * const repo = memoryQueueEntryRepository();
 * const options: QueueEntryRepositoryContractOptions = { name: 'memory', run: (work) => work(repo), fixtures, patient };
 * ```
 */
export interface QueueEntryRepositoryContractOptions {
  readonly name: string;
  readonly run: <T>(work: (entries: QueueEntryRepository) => Promise<T>) => Promise<T>;
  readonly fixtures: ContractFixtures;
  /** Stores a patient of `tenantId` where the repository checks entries' patients. */
  readonly patient: (tenantId: TenantId) => Promise<PatientId>;
}

const BASE = Date.UTC(2026, 2, 2, 9);
const at = (minutes: number): string => new Date(BASE + minutes * 60_000).toISOString();

/**
 * A waiting walk-in entry to store in contract tests, checked in `minutes` after 09:00 UTC.
 *
 * @example
 * ```ts
 * await entries.insert(sampleQueueEntry(tenantId, clinicId, queueId, 5));
 * ```
 */
export function sampleQueueEntry(
  tenantId: TenantId,
  clinicId: ClinicId,
  queueId: QueueId,
  minutes = 0,
  overrides: Partial<StoredQueueEntry> = {},
): StoredQueueEntry {
  return {
    id: QueueEntryId.parse(uuidv7()),
    tenantId,
    clinicId,
    queueId,
    source: 'walk-in',
    status: 'waiting',
    priority: 0,
    ticket: `W${String(minutes).padStart(3, '0')}`,
    checkedInAt: at(minutes),
    effectiveAt: at(minutes),
    orderingKey: BASE + minutes * 60_000,
    recallCount: 0,
    updatedAt: at(minutes),
    version: 0,
    ...overrides,
  };
}

/**
 * The contract every {@link QueueEntryRepository} passes: ticket numbers per line, one clinic
 * per line, optimistic updates, ordered and exclusive claims, derived positions and gapless
 * per-queue event versions.
 *
 * @example
 * ```ts
 * import { describe, expect, it } from 'vitest';
 * import { memoryQueueEntryRepository } from '@carequeue/queue';
 * import { runQueueEntryRepositoryContract } from '@carequeue/queue/testing';
 *
 * const repo = memoryQueueEntryRepository();
 * runQueueEntryRepositoryContract({ describe, it, expect }, { name: 'memory', run: (work) => work(repo), fixtures, patient });
 * ```
 */
export function runQueueEntryRepositoryContract(
  { describe, it, expect }: ContractRunner,
  { name, run, fixtures, patient }: QueueEntryRepositoryContractOptions,
): void {
  async function line(): Promise<{ tenantId: TenantId; clinicId: ClinicId; queueId: QueueId }> {
    const tenantId = await fixtures.tenant();
    const clinicId = await fixtures.clinic(tenantId);
    const queueId = QueueId.parse(uuidv7());
    await run((entries) => entries.nextTicket(tenantId, clinicId, queueId, at(0)));
    return { tenantId, clinicId, queueId };
  }

  async function seed(rows: readonly StoredQueueEntry[]): Promise<void> {
    await run(async (entries) => {
      for (const row of rows) await entries.insert(row);
    });
  }

  describe(`QueueEntryRepository contract (${name})`, () => {
    it('refuses a non-UUID entry or queue id with a ValidationError on every adapter, not a 404 on memory and a 502 on SQL', async () => {
      const l = await line();
      await expect(run((e) => e.get(l.tenantId, 'entry-1' as QueueEntryId))).rejects.toThrow(
        ValidationError,
      );
      await expect(run((e) => e.listLive(l.tenantId, 'queue-1' as QueueId))).rejects.toThrow(
        ValidationError,
      );
      await expect(
        run((e) => e.nextTicket(l.tenantId, l.clinicId, 'queue-1' as QueueId, at(1))),
      ).rejects.toThrow(ValidationError);
    });

    it("refuses a walk-in line of tenant B at tenant A's clinic on every adapter, not accepted by memory and refused by SQL", async () => {
      const tenantA = await fixtures.tenant();
      const tenantB = await fixtures.tenant();
      const clinicOfA = await fixtures.clinic(tenantA);
      const queueId = QueueId.parse(uuidv7());
      await expect(run((e) => e.nextTicket(tenantB, clinicOfA, queueId, at(0)))).rejects.toThrow(
        ForeignKeyViolationError,
      );
      await expect(
        run((e) => e.insert(sampleQueueEntry(tenantB, clinicOfA, queueId))),
      ).rejects.toThrow(ForeignKeyViolationError);
      expect(await run((e) => e.listLive(tenantB, queueId))).toEqual([]);
    });

    it("refuses an entry naming another tenant's patient on every adapter, not accepted by memory and refused by SQL", async () => {
      const l = await line();
      const own = sampleQueueEntry(l.tenantId, l.clinicId, l.queueId, 0, {
        patientId: await patient(l.tenantId),
      });
      await seed([own]);
      const foreign = sampleQueueEntry(l.tenantId, l.clinicId, l.queueId, 1, {
        patientId: await patient(await fixtures.tenant()),
      });
      await expect(run((e) => e.insert(foreign))).rejects.toThrow(ForeignKeyViolationError);
      const live = await run((e) => e.listLive(l.tenantId, l.queueId));
      expect(live.map((entry) => entry.id)).toEqual([own.id]);
    });

    it('numbers tickets per line from 1 when taking tickets', async () => {
      const l = await line();
      const other = QueueId.parse(uuidv7());
      const second = await run((e) => e.nextTicket(l.tenantId, l.clinicId, l.queueId, at(1)));
      const third = await run((e) => e.nextTicket(l.tenantId, l.clinicId, l.queueId, at(2)));
      const first = await run((e) => e.nextTicket(l.tenantId, l.clinicId, other, at(2)));
      expect([second, third, first]).toEqual([2, 3, 1]);
    });

    it('rejects a ticket when the queue belongs to another clinic', async () => {
      const l = await line();
      const otherClinic = await fixtures.clinic(l.tenantId);
      await expect(
        run((e) => e.nextTicket(l.tenantId, otherClinic, l.queueId, at(1))),
      ).rejects.toThrow(QueueClinicMismatchError);
    });

    it('returns a stored entry to its tenant only when reading', async () => {
      const l = await line();
      const entry = sampleQueueEntry(l.tenantId, l.clinicId, l.queueId, 0, {
        priority: 5,
        counter: 'Desk 1',
        guestName: 'Guest',
      });
      await seed([entry]);
      const otherTenant = await fixtures.tenant();
      expect(await run((e) => e.get(l.tenantId, entry.id))).toEqual(entry);
      expect(await run((e) => e.get(otherTenant, entry.id))).toBeUndefined();
    });

    it('updates only from the previous version when an entry changes', async () => {
      const l = await line();
      const entry = sampleQueueEntry(l.tenantId, l.clinicId, l.queueId);
      await seed([entry]);
      const next = { ...entry, status: 'away' as const, version: 1, updatedAt: at(3) };
      expect(await run((e) => e.update(next))).toBe(true);
      expect(await run((e) => e.update({ ...next, status: 'waiting' as const }))).toBe(false);
      expect((await run((e) => e.get(l.tenantId, entry.id)))?.status).toBe('away');
    });

    it('claims the waiting entry with the smallest ordering key, then id, when calling next', async () => {
      const l = await line();
      const late = sampleQueueEntry(l.tenantId, l.clinicId, l.queueId, 10);
      const urgent = sampleQueueEntry(l.tenantId, l.clinicId, l.queueId, 12, {
        orderingKey: BASE,
      });
      const away = sampleQueueEntry(l.tenantId, l.clinicId, l.queueId, 0, {
        status: 'away',
        orderingKey: BASE - 60_000,
      });
      await seed([late, urgent, away]);
      const claimed = await run((e) => e.claimNext({ ...l, at: at(20), counter: 'Room 2' }));
      expect(claimed?.id).toBe(urgent.id);
      expect(claimed?.status).toBe('called');
      expect(claimed?.counter).toBe('Room 2');
      expect(claimed?.calledAt).toBe(at(20));
      expect(claimed?.version).toBe(1);
      expect((await run((e) => e.claimNext({ ...l, at: at(21) })))?.id).toBe(late.id);
      expect(await run((e) => e.claimNext({ ...l, at: at(22) }))).toBeUndefined();
    });

    it('claims nothing of another clinic or tenant when calling next', async () => {
      const l = await line();
      await seed([sampleQueueEntry(l.tenantId, l.clinicId, l.queueId)]);
      const otherClinic = await fixtures.clinic(l.tenantId);
      const otherTenant = await fixtures.tenant();
      expect(
        await run((e) => e.claimNext({ ...l, clinicId: otherClinic, at: at(1) })),
      ).toBeUndefined();
      expect(
        await run((e) => e.claimNext({ ...l, tenantId: otherTenant, at: at(1) })),
      ).toBeUndefined();
    });

    it('gives every entry to exactly one caller when callers claim concurrently', async () => {
      const l = await line();
      const rows = Array.from({ length: 30 }, (_, index) =>
        sampleQueueEntry(l.tenantId, l.clinicId, l.queueId, index),
      );
      await seed(rows);
      const claimedIds: string[] = [];
      await Promise.all(
        Array.from({ length: 5 }, async () => {
          for (;;) {
            const claimed = await run((e) => e.claimNext({ ...l, at: at(60) }));
            if (claimed === undefined) return;
            claimedIds.push(claimed.id);
          }
        }),
      );
      expect(claimedIds).toHaveLength(30);
      expect(new Set(claimedIds).size).toBe(30);
    });

    it('lists live entries in order and counts those ahead when deriving positions', async () => {
      const l = await line();
      const first = sampleQueueEntry(l.tenantId, l.clinicId, l.queueId, 0);
      const second = sampleQueueEntry(l.tenantId, l.clinicId, l.queueId, 1);
      const done = sampleQueueEntry(l.tenantId, l.clinicId, l.queueId, 2, { status: 'completed' });
      const away = sampleQueueEntry(l.tenantId, l.clinicId, l.queueId, 3, { status: 'away' });
      const third = sampleQueueEntry(l.tenantId, l.clinicId, l.queueId, 4);
      await seed([third, done, second, away, first]);
      const live = await run((e) => e.listLive(l.tenantId, l.queueId));
      expect(live.map((entry) => entry.id)).toEqual([first.id, second.id, away.id, third.id]);
      expect(await run((e) => e.countAhead(first))).toBe(0);
      expect(await run((e) => e.countAhead(third))).toBe(2);
    });

    it('lists entries checked in within a range and calls older than a cutoff', async () => {
      const l = await line();
      const early = sampleQueueEntry(l.tenantId, l.clinicId, l.queueId, 0);
      const inside = sampleQueueEntry(l.tenantId, l.clinicId, l.queueId, 30, {
        status: 'called',
        calledAt: at(40),
      });
      const recent = sampleQueueEntry(l.tenantId, l.clinicId, l.queueId, 50, {
        status: 'called',
        calledAt: at(55),
      });
      await seed([early, inside, recent]);
      const between = await run((e) =>
        e.listCheckedInBetween(l.tenantId, l.clinicId, at(10), at(50)),
      );
      expect(between.map((entry) => entry.id)).toEqual([inside.id]);
      const overdue = await run((e) => e.listCalledBefore(l.tenantId, l.queueId, at(50)));
      expect(overdue.map((entry) => entry.id)).toEqual([inside.id]);
    });

    it('numbers events per queue without gaps when appending', async () => {
      const l = await line();
      const other = QueueId.parse(uuidv7());
      await run((e) => e.nextTicket(l.tenantId, l.clinicId, other, at(0)));
      const a = sampleQueueEntry(l.tenantId, l.clinicId, l.queueId);
      const b = sampleQueueEntry(l.tenantId, l.clinicId, other);
      await seed([a, b]);
      const eventOf = (entry: StoredQueueEntry, minutes: number): PendingQueueEvent => ({
        tenantId: entry.tenantId,
        clinicId: entry.clinicId,
        queueId: entry.queueId,
        entryId: entry.id,
        type: 'checked_in',
        toStatus: 'waiting',
        entryVersion: 0,
        occurredAt: at(minutes),
      });
      const firstBatch = await run((e) => e.appendEvents([eventOf(a, 1), eventOf(b, 1)]));
      const secondBatch = await run((e) => e.appendEvents([eventOf(a, 2), eventOf(a, 3)]));
      expect([...firstBatch, ...secondBatch].map((event) => event.version)).toEqual([1, 1, 2, 3]);
      const after = await run((e) => e.listEvents(l.tenantId, l.queueId, 1, 10));
      expect(after.map((event) => [event.version, event.occurredAt])).toEqual([
        [2, at(2)],
        [3, at(3)],
      ]);
      expect(await run((e) => e.listEvents(l.tenantId, l.queueId, 0, 1))).toHaveLength(1);
      expect(firstBatch[0]).toEqual({ ...eventOf(a, 1), version: 1 });
    });
  });
}
