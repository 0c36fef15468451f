import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  asServiceRole,
  migrate,
  SqlPermissionDeniedError,
  withClaims,
  type MigrationSource,
  type SqlExecutor,
} from '@carequeue/core/sql';
import { discoverMigrationSources, readMigrationFiles } from '@carequeue/test-harness';
import { expect, it } from 'vitest';
import { sqlAppointmentRepository } from '../../src/booking/postgres/appointment-repository.js';
import { seedAccessWorld } from './direct-access/access-world.js';
import { adminClaims, patientClaims, receptionistClaims } from './tenant-fixture.js';

/**
 * The last migration of each package before the security migrations of issue 20 (core 0002,
 * resilience 0004, queue 0009 on): the schema deployments run today.
 */
const TODAY: Readonly<Record<string, number>> = { core: 1, resilience: 3, audit: 7, queue: 8 };

/** Copies of the packages' migration folders holding only the files of today's schema. */
function todaysSources(): { sources: MigrationSource[]; remove: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'carequeue-today-'));
  const sources = discoverMigrationSources().map((source) => {
    const directory = join(root, source.namespace);
    mkdirSync(directory);
    for (const file of readMigrationFiles(source)) {
      if (Number(file.name.slice(0, 4)) <= (TODAY[source.namespace] ?? 0)) {
        writeFileSync(join(directory, file.name), file.sql);
      }
    }
    return { namespace: source.namespace, directory };
  });
  return { sources, remove: () => rmSync(root, { recursive: true, force: true }) };
}

/** Every row of every table of the data schemas, as JSON text in a stable order. */
async function snapshot(executor: SqlExecutor): Promise<Record<string, string[]>> {
  const { rows: tables } = await executor.query<{ name: string }>(
    `SELECT n.nspname || '.' || c.relname AS name
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname IN ('queue', 'resilience', 'audit') AND c.relkind IN ('r', 'p')
       AND NOT c.relispartition
     ORDER BY 1`,
  );
  const all: Record<string, string[]> = {};
  for (const { name } of tables) {
    const { rows } = await executor.query<{ row: string }>(
      `SELECT to_jsonb(t)::text AS row FROM ${name} t ORDER BY 1`,
    );
    all[name] = rows.map((row) => row.row);
  }
  return all;
}

/**
 * The rows of `rows` in the tables of `reference`, each reduced to the columns the reference's
 * rows have (the migrations add columns, such as the chain's copy of its event's whole key),
 * sorted as text.
 */
function withColumnsOf(
  reference: Record<string, string[]>,
  rows: Record<string, string[]>,
): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(reference).map(([table, referenceRows]) => {
      const columns = Object.keys(JSON.parse(referenceRows[0] ?? '{}') as object);
      const reduced = (rows[table] ?? []).map((row) => {
        const values = JSON.parse(row) as Record<string, unknown>;
        return JSON.stringify(columns.map((column) => [column, values[column]]));
      });
      return [table, reduced.sort()];
    }),
  );
}

/**
 * Migrations only move forward: a database at today's schema, holding rows in every table, takes
 * the new migrations with every row intact, and the rows obey the new rules.
 */
export function forwardMigrationScenarios(emptyDatabase: () => SqlExecutor): void {
  it('keeps every row of a populated database when the security migrations apply', async () => {
    const executor = emptyDatabase();
    const today = todaysSources();
    try {
      await migrate(executor, today.sources);
      const { a, b } = await seedAccessWorld(executor);
      const before = await snapshot(executor);
      const report = await migrate(executor, discoverMigrationSources());
      expect(report.applied.map((applied) => `${applied.namespace}/${applied.name}`)).toEqual(
        expect.arrayContaining([
          'core/0002_subject_keys.sql',
          'core/0003_sql_clock.sql',
          'resilience/0004_dead_letters_read_only_for_managers.sql',
          'queue/0009_definers_trust_the_database_role.sql',
          'queue/0010_appointment_writes_through_checked_functions.sql',
          'queue/0011_queue_entry_and_job_writes_through_checked_functions.sql',
          'queue/0012_realtime_private_channels.sql',
          'queue/0013_owner_staff_rows_and_bound_accounts.sql',
          'queue/0014_derived_rows_written_by_the_server.sql',
          'queue/0015_patient_clinic_links_written_only_when_changed.sql',
          'audit/0008_unique_event_ids.sql',
          'audit/0009_checked_appends.sql',
          'audit/0010_legal_holds_for_managers.sql',
        ]),
      );
      const after = await snapshot(executor);
      expect(withColumnsOf(before, after)).toEqual(withColumnsOf(before, before));
      expect(Object.values(before).every((rows) => rows.length > 0)).toBe(true);
      // The one table the migrations add indexes the ids of every event already stored.
      expect(Object.keys(after).filter((name) => !(name in before))).toEqual(['audit.event_ids']);
      const { rows: unindexed } = await executor.query(
        'SELECT id FROM audit.events EXCEPT SELECT id FROM audit.event_ids',
      );
      expect([unindexed, (after['audit.event_ids'] ?? []).length > 0]).toEqual([[], true]);
      const { rows: unkeyedLinks } = await executor.query(
        `SELECT c.event_id FROM audit.chain c
         WHERE NOT EXISTS (SELECT 1 FROM audit.events e WHERE e.id = c.event_id
           AND e.retention_class = c.event_retention_class AND e."timestamp" = c.event_timestamp)
           AND NOT EXISTS (SELECT 1 FROM audit.archived_events a WHERE a.event_id = c.event_id)`,
      );
      expect(unkeyedLinks).toEqual([]);

      // The rows kept their readers and now follow the new rules.
      const own = await withClaims(executor, patientClaims(a), (tx) =>
        tx.query<{ patient_id: string }>('SELECT DISTINCT patient_id FROM queue.appointments'),
      );
      expect(own.rows).toEqual([{ patient_id: a.patientOne }]);
      await expect(
        withClaims(executor, patientClaims(a), (tx) =>
          tx.query("UPDATE queue.appointments SET status = 'cancelled'"),
        ),
      ).rejects.toBeInstanceOf(SqlPermissionDeniedError);
      const letters = await withClaims(executor, patientClaims(a), (tx) =>
        tx.query('SELECT id FROM resilience.dead_letters'),
      );
      expect(letters.rows).toEqual([]);
      const managed = await withClaims(executor, adminClaims(b), (tx) =>
        tx.query('SELECT id FROM resilience.dead_letters'),
      );
      expect(managed.rows).toHaveLength(1);
      // Rows derived from changes are the server's to write; holds are the managers' to read.
      await expect(
        withClaims(executor, receptionistClaims(a), (tx) =>
          tx.query('UPDATE queue.queue_lines SET version = version + 1'),
        ),
      ).rejects.toBeInstanceOf(SqlPermissionDeniedError);
      const holds = await withClaims(executor, patientClaims(a), (tx) =>
        tx.query('SELECT id FROM audit.legal_holds'),
      );
      expect(holds.rows).toEqual([]);
      // Clinic staff change an appointment written before the migrations through the functions.
      const { rows } = await asServiceRole(executor, (tx) =>
        tx.query<{ id: string }>(
          `SELECT id FROM queue.appointments
           WHERE tenant_id = $1 AND clinic_id = $2 AND group_slot_id IS NULL`,
          [a.tenantId, a.clinicOne],
        ),
      );
      const id = rows[0]!.id;
      const arrived = await withClaims(executor, receptionistClaims(a), async (tx) => {
        const repo = sqlAppointmentRepository({ executor: tx });
        const current = await repo.get(a.tenantId as never, id as never);
        await repo.update({ ...current!, status: 'arrived', version: current!.version + 1 });
        return repo.get(a.tenantId as never, id as never);
      });
      expect(arrived).toMatchObject({ status: 'arrived', version: 1 });
      // A staff row bound before migration 0013 keeps its account: an admin cannot rebind it.
      await expect(
        withClaims(executor, adminClaims(a), (tx) =>
          tx.query('UPDATE queue.staff SET user_id = $2 WHERE id = $1', [
            a.receptionistStaff,
            a.adminUser,
          ]),
        ),
      ).rejects.toBeInstanceOf(SqlPermissionDeniedError);
    } finally {
      today.remove();
    }
  });
}
