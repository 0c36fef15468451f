import { uuidv7 } from '@carequeue/core';
import { asServiceRole, SqlPermissionDeniedError, withClaims } from '@carequeue/core/sql';
import type { JwtClaims, SqlExecutor } from '@carequeue/core/sql';
import { beforeAll, describe, expect, it } from 'vitest';
import type { StoredQueueEntry } from '../../src/walk-in/queue-entry-record.js';
import { sqlQueueEntryRepository } from '../../src/walk-in/postgres/queue-entry-repository.js';
import {
  adminClaims,
  patientClaims,
  receptionistClaims,
  seedTwoTenants,
} from './tenant-fixture.js';
import { firstRowOf, insertRowAs, queryAsAnon } from './row-probes.js';
import type { SeededTenant } from './tenant-fixture.js';

interface SeededLine {
  readonly entryOne: string;
  readonly entryTwo: string;
}

const now = '2026-03-02T09:00:00.000Z';

/** One line per clinic, an entry for each patient, and a check-in event for each entry. */
async function seedLines(executor: SqlExecutor, t: SeededTenant): Promise<SeededLine> {
  return asServiceRole(executor, async (tx) => {
    const ids: string[] = [];
    for (const [clinicId, patientId] of [
      [t.clinicOne, t.patientOne],
      [t.clinicTwo, t.patientTwo],
    ] as const) {
      const queueId = uuidv7();
      const entryId = uuidv7();
      ids.push(entryId);
      await tx.query(
        `INSERT INTO queue.queue_lines (tenant_id, queue_id, clinic_id, version, last_ticket, created_at)
         VALUES ($1, $2, $3, 1, 1, $4)`,
        [t.tenantId, queueId, clinicId, now],
      );
      await tx.query(
        `INSERT INTO queue.queue_entries (id, tenant_id, clinic_id, queue_id, patient_id, source, status,
           ordering_key, ticket, checked_in_at, effective_at, updated_at, version)
         VALUES ($1, $2, $3, $4, $5, 'walk-in', 'waiting', 0, 'W001', $6, $6, $6, 0)`,
        [entryId, t.tenantId, clinicId, queueId, patientId, now],
      );
      await tx.query(
        `INSERT INTO queue.queue_events (tenant_id, queue_id, version, clinic_id, entry_id, type,
           to_status, entry_version, occurred_at)
         VALUES ($1, $2, 1, $3, $4, 'checked_in', 'waiting', 0, $5)`,
        [t.tenantId, queueId, clinicId, entryId, now],
      );
    }
    return { entryOne: ids[0] as string, entryTwo: ids[1] as string };
  });
}

type Row = Record<string, unknown>;

function visible(executor: SqlExecutor, claims: JwtClaims, table: string): Promise<Row[]> {
  return withClaims(executor, claims, async (tx) => {
    const { rows } = await tx.query<{ row: Row }>(
      `SELECT to_jsonb(t) AS row FROM queue.${table} t`,
    );
    return rows.map((row) => row.row);
  });
}

const TABLES = [
  { table: 'queue_lines', admin: 2, receptionist: 1, patient: 0 },
  { table: 'queue_entries', admin: 2, receptionist: 1, patient: 1 },
  { table: 'queue_events', admin: 2, receptionist: 1, patient: 1 },
] as const;

/** Row-level security of the walk-in queue tables (migration 0004). */
export function walkInRlsScenarios(executor: () => SqlExecutor): void {
  let a: SeededTenant;
  let b: SeededTenant;
  let linesA: SeededLine;

  beforeAll(async () => {
    ({ a, b } = await seedTwoTenants(executor()));
    linesA = await seedLines(executor(), a);
    await seedLines(executor(), b);
  });

  const entry = async (id: string): Promise<StoredQueueEntry> => {
    const found = await asServiceRole(executor(), (tx) =>
      sqlQueueEntryRepository({ executor: tx }).get(a.tenantId as never, id as never),
    );
    if (found === undefined) throw new Error('The seeded entry is missing.');
    return found;
  };

  describe.each(TABLES)('row-level security on queue.$table', (c) => {
    it('shows an admin the rows of their tenant only when listing', async () => {
      const rows = await visible(executor(), adminClaims(a), c.table);
      expect(rows).toHaveLength(c.admin);
      expect(rows.every((row) => row['tenant_id'] === a.tenantId)).toBe(true);
    });

    it('limits a receptionist to their clinic when listing', async () => {
      const rows = await visible(executor(), receptionistClaims(a), c.table);
      expect(rows).toHaveLength(c.receptionist);
      expect(rows.every((row) => row['clinic_id'] === a.clinicOne)).toBe(true);
    });

    it('limits a patient to their own entries when listing', async () => {
      const rows = await visible(executor(), patientClaims(a), c.table);
      expect(rows).toHaveLength(c.patient);
      const ownEntry = c.table === 'queue_events' ? 'entry_id' : 'id';
      expect(rows.every((row) => row[ownEntry] === linesA.entryOne)).toBe(true);
    });

    it('refuses anon any row when it queries', async () => {
      await expect(
        queryAsAnon(executor(), `SELECT 1 FROM queue.${c.table}`),
      ).rejects.toBeInstanceOf(SqlPermissionDeniedError);
    });

    it('sees no rows when the claims carry no tenant', async () => {
      expect(
        await visible(executor(), { sub: a.adminUser, role: 'authenticated' }, c.table),
      ).toEqual([]);
    });

    it('rejects an insert of another tenant row when an admin writes it', async () => {
      const foreign = await firstRowOf(executor(), c.table, b.tenantId);
      expect(foreign).toBeDefined();
      await expect(
        insertRowAs(executor(), adminClaims(a), c.table, foreign),
      ).rejects.toBeInstanceOf(SqlPermissionDeniedError);
    });
  });

  describe('queue entries and events under row-level security', () => {
    it('lets a patient change nothing, not even their own entry, when updating', async () => {
      await expect(
        withClaims(executor(), patientClaims(a), (tx) =>
          tx.query("UPDATE queue.queue_entries SET status = 'left' WHERE id = $1", [
            linesA.entryOne,
          ]),
        ),
      ).rejects.toBeInstanceOf(SqlPermissionDeniedError);
      const own = await entry(linesA.entryOne);
      const changed = await withClaims(executor(), patientClaims(a), (tx) =>
        sqlQueueEntryRepository({ executor: tx }).update({
          ...own,
          status: 'left',
          version: own.version + 1,
        }),
      );
      expect(changed).toBe(false);
      expect((await entry(linesA.entryOne)).status).toBe('waiting');
    });

    it('updates no entry of another clinic when a receptionist updates', async () => {
      await expect(
        withClaims(executor(), receptionistClaims(a), (tx) =>
          tx.query("UPDATE queue.queue_entries SET status = 'away'"),
        ),
      ).rejects.toBeInstanceOf(SqlPermissionDeniedError);
      const changed: boolean[] = [];
      for (const id of [linesA.entryOne, linesA.entryTwo]) {
        const current = await entry(id);
        changed.push(
          await withClaims(executor(), receptionistClaims(a), (tx) =>
            sqlQueueEntryRepository({ executor: tx }).update({
              ...current,
              status: 'away',
              version: current.version + 1,
            }),
          ),
        );
      }
      expect(changed).toEqual([true, false]);
      expect((await entry(linesA.entryTwo)).status).toBe('waiting');
    });

    it('keeps clinic staff to the walk-in state machine and to the entry as checked in', async () => {
      const current = await entry(linesA.entryOne);
      const refusals: [string, Partial<StoredQueueEntry>][] = [
        ['a status the state machine does not allow', { status: 'completed' }],
        ['another clinic', { clinicId: a.clinicTwo as never }],
        ['another ticket', { ticket: 'W999' }],
        ['another check-in time', { checkedInAt: '2026-03-01T00:00:00.000Z' }],
      ];
      for (const [what, change] of refusals) {
        await expect(
          withClaims(executor(), receptionistClaims(a), (tx) =>
            sqlQueueEntryRepository({ executor: tx }).update({
              ...current,
              ...change,
              version: current.version + 1,
            }),
          ),
          what,
        ).rejects.toBeInstanceOf(SqlPermissionDeniedError);
      }
    });

    it('refuses updating or deleting an event for staff, service_role and the table owner', async () => {
      for (const statement of [
        "UPDATE queue.queue_events SET type = 'left'",
        'DELETE FROM queue.queue_events',
      ]) {
        await expect(
          withClaims(executor(), adminClaims(a), (tx) => tx.query(statement)),
        ).rejects.toBeInstanceOf(SqlPermissionDeniedError);
        // The privileged connection owns the table, so only the trigger stands in its way.
        await expect(
          executor().transaction((tx) =>
            tx.query(`${statement} WHERE entry_id = $1`, [linesA.entryOne]),
          ),
        ).rejects.toBeInstanceOf(SqlPermissionDeniedError);
        await expect(
          asServiceRole(executor(), (tx) =>
            tx.query(`${statement} WHERE entry_id = $1`, [linesA.entryOne]),
          ),
        ).rejects.toBeInstanceOf(SqlPermissionDeniedError);
      }
      const remaining = await asServiceRole(executor(), async (tx) => {
        const { rows } = await tx.query<{ type: string }>(
          'SELECT type FROM queue.queue_events WHERE entry_id = $1',
          [linesA.entryOne],
        );
        return rows.map((row) => row.type);
      });
      expect(remaining).toEqual(['checked_in']);
    });
  });
}
