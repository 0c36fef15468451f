import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  asServiceRole,
  coreMigrations,
  ExclusionViolationError,
  MigrationChecksumError,
  MigrationFailedError,
  migrate,
  readMigrations,
  SqlPermissionDeniedError,
  UniqueViolationError,
  withClaims,
  type MigrationSource,
  type SqlExecutor,
} from '../../src/sql/index.js';

export const TENANT_A = '0190a000-0000-7000-8000-00000000000a';
export const TENANT_B = '0190a000-0000-7000-8000-00000000000b';

const RLS_MIGRATION = `
CREATE TABLE notes (
  id integer PRIMARY KEY,
  tenant_id uuid NOT NULL,
  body text NOT NULL
);
ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
ALTER TABLE notes FORCE ROW LEVEL SECURITY;
CREATE POLICY notes_by_tenant ON notes FOR ALL TO authenticated
  USING (tenant_id = (auth.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid)
  WITH CHECK (tenant_id = (auth.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid);
GRANT SELECT, INSERT, UPDATE, DELETE ON notes TO authenticated, service_role;

CREATE TABLE bookings (
  id integer PRIMARY KEY,
  provider integer NOT NULL,
  busy tstzrange NOT NULL,
  EXCLUDE USING gist (provider WITH =, busy WITH &&)
);
`;

/** A folder of migrations a test can edit, removed when the file ends. */
export class MigrationFolder {
  readonly directory: string;

  constructor(
    readonly namespace: string,
    files: Record<string, string>,
  ) {
    this.directory = mkdtempSync(join(tmpdir(), `carequeue-${namespace}-`));
    mkdirSync(this.directory, { recursive: true });
    for (const [name, sql] of Object.entries(files)) this.write(name, sql);
  }

  get source(): MigrationSource {
    return { namespace: this.namespace, directory: this.directory };
  }

  write(name: string, sql: string): void {
    writeFileSync(join(this.directory, name), sql);
  }

  remove(): void {
    rmSync(this.directory, { recursive: true, force: true });
  }
}

/**
 * The SQL-layer behaviour every executor must show, run against one database per call site.
 * `executor()` is read inside hooks and tests, after the fixture is ready.
 */
export function describeSqlLayer(name: string, executor: () => SqlExecutor): void {
  describe(`${name}: executor`, () => {
    it('returns typed rows and counts queries when querying', async () => {
      const sql = executor();
      const before = sql.queryCount();
      const { rows, rowCount } = await sql.query<{ answer: number }>(
        'SELECT $1::int AS answer',
        [42],
      );
      expect(rows).toEqual([{ answer: 42 }]);
      expect(rowCount).toBe(1);
      expect(sql.queryCount()).toBe(before + 1);
    });

    it('commits when the transaction resolves and rolls back when it rejects', async () => {
      const sql = executor();
      await sql.exec('CREATE TABLE tx_probe (n integer PRIMARY KEY)');
      await sql.transaction(async (tx) => {
        await tx.query('INSERT INTO tx_probe VALUES (1)');
      });
      await expect(
        sql.transaction(async (tx) => {
          await tx.query('INSERT INTO tx_probe VALUES (2)');
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      const { rows } = await sql.query<{ n: number }>('SELECT n FROM tx_probe ORDER BY n');
      expect(rows).toEqual([{ n: 1 }]);
    });

    it('rolls back only the savepoint when a nested transaction rejects', async () => {
      const sql = executor();
      await sql.exec('CREATE TABLE savepoint_probe (n integer PRIMARY KEY)');
      await sql.transaction(async (tx) => {
        await tx.query('INSERT INTO savepoint_probe VALUES (1)');
        await expect(
          tx.transaction(async (inner) => {
            await inner.query('INSERT INTO savepoint_probe VALUES (1)');
          }),
        ).rejects.toBeInstanceOf(UniqueViolationError);
        await tx.transaction(async (inner) => {
          await inner.query('INSERT INTO savepoint_probe VALUES (2)');
        });
      });
      const { rows } = await sql.query<{ n: number }>('SELECT n FROM savepoint_probe ORDER BY n');
      expect(rows).toEqual([{ n: 1 }, { n: 2 }]);
    });

    it('maps driver errors to typed errors without the values in the message', async () => {
      const sql = executor();
      await sql.exec('CREATE TABLE unique_probe (email text UNIQUE)');
      await sql.query('INSERT INTO unique_probe VALUES ($1)', ['jane@example.org']);
      const error = await sql
        .query('INSERT INTO unique_probe VALUES ($1)', ['jane@example.org'])
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UniqueViolationError);
      expect(error).toMatchObject({ code: 'UNIQUE_VIOLATION', status: 409 });
      expect(JSON.stringify(error)).not.toContain('jane@example.org');
      expect((error as Error).message).not.toContain('jane@example.org');
      await expect(sql.exec('SELEC 1')).rejects.toMatchObject({
        code: 'DATABASE_ERROR',
        sqlState: '42601',
      });
    });
  });

  describe(`${name}: statements queued before commit`, () => {
    class QueuedWriteFailed extends Error {}
    const mapError = (error: Error) =>
      new QueuedWriteFailed('queued write failed', { cause: error });

    it('runs a queued statement as the transaction ends, after everything else in it', async () => {
      const sql = executor();
      await sql.exec('CREATE TABLE queued_probe (n integer PRIMARY KEY, seen bigint NOT NULL)');
      const before = sql.queryCount();
      const seenInside = await sql.transaction(async (tx) => {
        await tx.queryBeforeCommit(
          'INSERT INTO queued_probe (n, seen) SELECT $1, count(*) FROM queued_probe',
          [2],
          { prepare: true },
        );
        await tx.query('INSERT INTO queued_probe (n, seen) VALUES ($1, 0)', [1]);
        const { rows } = await tx.query<{ n: number }>('SELECT n FROM queued_probe ORDER BY n');
        return rows.map((row) => row.n);
      });
      expect(seenInside).toEqual([1]);
      expect(sql.queryCount()).toBe(before + 3);
      const { rows } = await sql.query<{ n: number; seen: string }>(
        'SELECT n, seen::text AS seen FROM queued_probe ORDER BY n',
      );
      expect(rows).toEqual([
        { n: 1, seen: '0' },
        { n: 2, seen: '1' },
      ]);
    });

    it('drops queued statements when the transaction rolls back', async () => {
      const sql = executor();
      await sql.exec('CREATE TABLE queued_rollback (n integer PRIMARY KEY)');
      await expect(
        sql.transaction(async (tx) => {
          await tx.queryBeforeCommit('INSERT INTO queued_rollback VALUES ($1)', [1]);
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      const { rows } = await sql.query('SELECT n FROM queued_rollback');
      expect(rows).toEqual([]);
    });

    it('rolls the whole transaction back and rejects with the mapped error when a queued statement fails', async () => {
      const sql = executor();
      await sql.exec(
        'CREATE TABLE queued_data (n integer PRIMARY KEY);' +
          'CREATE TABLE queued_log (n integer PRIMARY KEY);' +
          'INSERT INTO queued_log VALUES (7);',
      );
      const error = await sql
        .transaction(async (tx) => {
          await tx.query('INSERT INTO queued_data VALUES ($1)', [1]);
          await tx.queryBeforeCommit('INSERT INTO queued_log VALUES ($1)', [8], {
            prepare: true,
            mapError,
          });
          await tx.queryBeforeCommit('INSERT INTO queued_log VALUES ($1)', [7], {
            prepare: true,
            mapError,
          });
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(QueuedWriteFailed);
      expect((error as Error).cause).toBeInstanceOf(UniqueViolationError);
      const data = await sql.query('SELECT n FROM queued_data');
      const log = await sql.query<{ n: number }>('SELECT n FROM queued_log ORDER BY n');
      expect(data.rows).toEqual([]);
      expect(log.rows).toEqual([{ n: 7 }]);
      // The connection went back clean: the next transaction commits.
      await sql.transaction(async (tx) => {
        await tx.queryBeforeCommit('INSERT INTO queued_log VALUES ($1)', [8], { prepare: true });
      });
      const after = await sql.query<{ n: number }>('SELECT n FROM queued_log ORDER BY n');
      expect(after.rows).toEqual([{ n: 7 }, { n: 8 }]);
    });

    it('drops what a rolled-back savepoint queued and keeps what a released one queued', async () => {
      const sql = executor();
      await sql.exec('CREATE TABLE queued_savepoint (n integer PRIMARY KEY)');
      await sql.transaction(async (tx) => {
        await tx.queryBeforeCommit('INSERT INTO queued_savepoint VALUES ($1)', [1]);
        await expect(
          tx.transaction(async (inner) => {
            await inner.queryBeforeCommit('INSERT INTO queued_savepoint VALUES ($1)', [2]);
            throw new Error('inner abort');
          }),
        ).rejects.toThrow('inner abort');
        await tx.transaction(async (inner) => {
          await inner.queryBeforeCommit('INSERT INTO queued_savepoint VALUES ($1)', [3]);
        });
      });
      const { rows } = await sql.query<{ n: number }>('SELECT n FROM queued_savepoint ORDER BY n');
      expect(rows).toEqual([{ n: 1 }, { n: 3 }]);
    });

    it('runs at once outside a transaction and rejects with the mapped error', async () => {
      const sql = executor();
      await sql.exec('CREATE TABLE queued_now (n integer PRIMARY KEY)');
      await sql.queryBeforeCommit('INSERT INTO queued_now VALUES ($1)', [1], { mapError });
      const { rows } = await sql.query('SELECT n FROM queued_now');
      expect(rows).toEqual([{ n: 1 }]);
      await expect(
        sql.queryBeforeCommit('INSERT INTO queued_now VALUES ($1)', [1], { mapError }),
      ).rejects.toBeInstanceOf(QueuedWriteFailed);
    });

    it('sends dates, arrays, JSON and nulls as a plain query would', async () => {
      const sql = executor();
      await sql.exec(
        'CREATE TABLE queued_types (at timestamptz, tags text[], doc jsonb, note text, n bigint)',
      );
      const at = new Date('2026-03-05T09:00:00.123Z');
      const doc = JSON.stringify({ reason: 'follow-up "visit"', nested: { ok: true } });
      await sql.transaction(async (tx) => {
        await tx.queryBeforeCommit(
          'INSERT INTO queued_types VALUES ($1, $2, $3, $4, $5)',
          [at, ['a', 'b "c"', 'é'], doc, null, 42],
          { prepare: true },
        );
      });
      const { rows } = await sql.query<{
        at: Date;
        tags: string[];
        doc: unknown;
        note: null;
        n: string;
      }>('SELECT at, tags, doc, note, n::text AS n FROM queued_types');
      expect(rows).toEqual([
        { at, tags: ['a', 'b "c"', 'é'], doc: JSON.parse(doc) as unknown, note: null, n: '42' },
      ]);
    });
  });

  describe(`${name}: migrator and row-level security`, () => {
    const folder = new MigrationFolder(`rls_${name.toLowerCase().replace(/\W/g, '_')}`, {
      '0001_notes.sql': RLS_MIGRATION,
    });
    afterAll(() => folder.remove());

    beforeAll(async () => {
      await migrate(executor(), [coreMigrations, folder.source]);
      await asServiceRole(executor(), async (tx) => {
        await tx.query(
          'INSERT INTO notes (id, tenant_id, body) VALUES (1, $1, $3), (2, $1, $3), (3, $2, $3)',
          [TENANT_A, TENANT_B, 'note'],
        );
      });
    });

    it('applies nothing when run again with the same files', async () => {
      const report = await migrate(executor(), [coreMigrations, folder.source]);
      expect(report.applied).toEqual([]);
      // Core's own migrations and the one file of this folder.
      expect(report.alreadyApplied).toBe(readMigrations(coreMigrations).length + 1);
      const { rows } = await executor().query<{ count: string }>(
        'SELECT count(*)::text AS count FROM carequeue.schema_migrations WHERE namespace = $1',
        [folder.namespace],
      );
      expect(rows[0]?.count).toBe('1');
    });

    it('refuses to run and applies nothing when an applied migration was edited', async () => {
      const edited = new MigrationFolder(`edited_${folder.namespace}`, {
        '0001_first.sql': 'CREATE TABLE edited_probe (n integer);',
      });
      try {
        await migrate(executor(), [edited.source]);
        edited.write('0001_first.sql', 'CREATE TABLE edited_probe (n bigint);');
        edited.write('0002_second.sql', 'CREATE TABLE edited_second (n integer);');
        const error = await migrate(executor(), [edited.source]).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(MigrationChecksumError);
        expect(error).toMatchObject({ migration: '0001_first.sql', namespace: edited.namespace });
        const { rows } = await executor().query(
          "SELECT 1 FROM pg_catalog.pg_tables WHERE tablename = 'edited_second'",
        );
        expect(rows).toEqual([]);
      } finally {
        edited.remove();
      }
    });

    it('rolls back a failing migration and does not record it', async () => {
      const failing = new MigrationFolder(`failing_${folder.namespace}`, {
        '0001_half.sql': 'CREATE TABLE half_done (n integer); SELECT * FROM no_such_table;',
      });
      try {
        const error = await migrate(executor(), [failing.source]).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(MigrationFailedError);
        const { rows } = await executor().query(
          "SELECT 1 FROM pg_catalog.pg_tables WHERE tablename = 'half_done'",
        );
        expect(rows).toEqual([]);
        const recorded = await executor().query(
          'SELECT 1 FROM carequeue.schema_migrations WHERE namespace = $1',
          [failing.namespace],
        );
        expect(recorded.rows).toEqual([]);
      } finally {
        failing.remove();
      }
    });

    it('shows only the claimed tenant rows when querying through withClaims', async () => {
      const claimsOf = (tenantId: string) => ({
        sub: '0190a000-0000-7000-8000-0000000000f1',
        app_metadata: { tenant_id: tenantId },
      });
      const idsFor = (tenantId: string) =>
        withClaims(executor(), claimsOf(tenantId), async (tx) => {
          const { rows } = await tx.query<{ id: number }>('SELECT id FROM notes ORDER BY id');
          return rows.map((row) => row.id);
        });
      expect(await idsFor(TENANT_A)).toEqual([1, 2]);
      expect(await idsFor(TENANT_B)).toEqual([3]);
      const whoami = await withClaims(executor(), claimsOf(TENANT_A), (tx) =>
        tx.query<{ role: string; sub: string }>(
          "SELECT current_user AS role, auth.jwt() ->> 'sub' AS sub",
        ),
      );
      expect(whoami.rows).toEqual([
        { role: 'authenticated', sub: '0190a000-0000-7000-8000-0000000000f1' },
      ]);
    });

    it('rejects writes into another tenant when under claims', async () => {
      await expect(
        withClaims(
          executor(),
          { sub: '0190a000-0000-7000-8000-0000000000f1', app_metadata: { tenant_id: TENANT_A } },
          (tx) =>
            tx.query('INSERT INTO notes (id, tenant_id, body) VALUES (9, $1, $2)', [TENANT_B, 'x']),
        ),
      ).rejects.toBeInstanceOf(SqlPermissionDeniedError);
    });

    it('shows nothing when no tenant is claimed, and everything to the service role', async () => {
      const none = await withClaims(executor(), { sub: 'anonymous' }, (tx) =>
        tx.query('SELECT id FROM notes'),
      );
      expect(none.rows).toEqual([]);
      const all = await asServiceRole(executor(), (tx) =>
        tx.query<{ id: number }>('SELECT id FROM notes ORDER BY id'),
      );
      expect(all.rows.map((row) => row.id)).toEqual([1, 2, 3]);
    });

    it('resets role and claims when the transaction ends', async () => {
      await withClaims(executor(), { sub: 'u', app_metadata: { tenant_id: TENANT_A } }, () =>
        Promise.resolve(),
      );
      const { rows } = await executor().query<{ claims: string | null; role: string }>(
        "SELECT nullif(current_setting('request.jwt.claims', true), '') AS claims, current_user AS role",
      );
      expect(rows[0]?.claims ?? null).toBeNull();
      expect(rows[0]?.role).not.toBe('authenticated');
    });

    it('raises ExclusionViolationError when two bookings overlap', async () => {
      const sql = executor();
      await sql.query('INSERT INTO bookings VALUES (1, 7, tstzrange($1, $2))', [
        '2026-03-01T09:00:00Z',
        '2026-03-01T09:30:00Z',
      ]);
      const error = await sql
        .query('INSERT INTO bookings VALUES (2, 7, tstzrange($1, $2))', [
          '2026-03-01T09:15:00Z',
          '2026-03-01T09:45:00Z',
        ])
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ExclusionViolationError);
      expect(error).toMatchObject({ code: 'EXCLUSION_VIOLATION' });
      expect((error as Error).message).not.toContain('09:15');
    });
  });
}
