import { migrate, type SqlExecutor } from '@carequeue/core/sql';
import {
  discoverMigrationSources,
  emptyPglite,
  emptyPostgres,
  migrationsBefore,
  requirePostgres,
  type EmptyDatabase,
} from '@carequeue/test-harness';
import { describe, expect, it } from 'vitest';
import { queueTopic, tenantTopic } from '../../src/realtime/realtime-event.js';
import { mayBroadcast, mayJoin } from './realtime-authorization.js';
import { channelOf, openLine } from './realtime-authorization-scenarios.js';
import {
  adminClaims,
  patientClaims,
  receptionistClaims,
  seedTwoTenants,
} from './tenant-fixture.js';

const postgres = await requirePostgres();

/** Every package's migrations, the queue's only up to 0011: the schema before this change. */
function schemaBefore() {
  return discoverMigrationSources().map((source) =>
    source.namespace === 'queue' ? migrationsBefore(source, 12) : source,
  );
}

const COUNTED = ['tenants', 'clinics', 'staff', 'patients', 'appointments', 'queue_lines'];

async function counts(sql: SqlExecutor): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (const table of COUNTED) {
    const { rows } = await sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM queue.${table}`,
    );
    result[table] = rows[0]?.n ?? -1;
  }
  return result;
}

// What Supabase has before CareQueue migrates: its own realtime.messages (with a column more
// than CareQueue's stand-in), realtime.topic(), a broad policy of the project and a row.
const SUPABASE_REALTIME = `
  CREATE SCHEMA realtime;
  GRANT USAGE ON SCHEMA realtime TO anon, authenticated, service_role;
  CREATE TABLE realtime.messages (
    topic text NOT NULL, extension text NOT NULL, payload jsonb, event text,
    private boolean DEFAULT false, updated_at timestamp NOT NULL DEFAULT now(),
    inserted_at timestamp NOT NULL DEFAULT now(), id uuid NOT NULL DEFAULT gen_random_uuid(),
    supabase_only text, PRIMARY KEY (id, inserted_at));
  ALTER TABLE realtime.messages ENABLE ROW LEVEL SECURITY;
  GRANT SELECT, INSERT, UPDATE ON realtime.messages TO anon, authenticated, service_role;
  CREATE FUNCTION realtime.topic() RETURNS text LANGUAGE sql STABLE
    AS $$ SELECT nullif(current_setting('realtime.topic', true), '') $$;
  CREATE POLICY project_everyone ON realtime.messages FOR SELECT TO anon, authenticated USING (true);
  INSERT INTO realtime.messages (topic, extension, supabase_only) VALUES ('room:lobby', 'broadcast', 'kept');
`;

function upgradeScenarios(name: string, open: () => Promise<EmptyDatabase>): void {
  it(`keeps the queue data and authorizes its channels once migration 0012 runs on a populated ${name} database`, async () => {
    const db = await open();
    try {
      const sql = db.executor;
      await migrate(sql, schemaBefore());
      const { a, b } = await seedTwoTenants(sql);
      const line = await openLine(sql, a.tenantId, a.clinicOne);
      const before = await counts(sql);

      await migrate(sql, discoverMigrationSources());

      expect(await counts(sql)).toEqual(before);
      const topic = channelOf(queueTopic(a.tenantId, line));
      const as = (claims: { role?: string }) => ({ role: 'authenticated', claims });
      expect(await mayJoin(sql, topic, as(adminClaims(a)))).toBe(true);
      expect(await mayJoin(sql, topic, as(receptionistClaims(a)))).toBe(true);
      expect(await mayBroadcast(sql, topic, as(receptionistClaims(a)))).toBe(true);
      expect(await mayJoin(sql, topic, as(patientClaims(a)))).toBe(false);
      expect(await mayJoin(sql, topic, as(adminClaims(b)))).toBe(false);
      expect(await mayJoin(sql, topic, { role: 'anon', claims: { role: 'anon' } })).toBe(false);
    } finally {
      await db.close();
    }
  });

  it(`adds only its policies where Supabase already has realtime.messages, on ${name}`, async () => {
    const db = await open();
    try {
      const sql = db.executor;
      await migrate(sql, schemaBefore());
      await sql.exec(SUPABASE_REALTIME);
      const { a } = await seedTwoTenants(sql);

      await migrate(sql, discoverMigrationSources());

      const { rows } = await sql.query<{ topic: string; supabase_only: string }>(
        'SELECT topic, supabase_only FROM realtime.messages',
      );
      expect(rows).toEqual([{ topic: 'room:lobby', supabase_only: 'kept' }]);
      const anon = { role: 'anon', claims: { role: 'anon' } };
      const patient = { role: 'authenticated', claims: patientClaims(a) };
      expect(await mayJoin(sql, 'room:lobby', anon)).toBe(true);
      expect(await mayJoin(sql, channelOf(tenantTopic(a.tenantId)), anon)).toBe(false);
      expect(await mayJoin(sql, channelOf(tenantTopic(a.tenantId)), patient)).toBe(false);
      expect(
        await mayJoin(sql, channelOf(tenantTopic(a.tenantId)), {
          role: 'authenticated',
          claims: adminClaims(a),
        }),
      ).toBe(true);
    } finally {
      await db.close();
    }
  });
}

describe('queue migration 0012 on a populated database', () => {
  upgradeScenarios('PGlite', emptyPglite);
  describe.skipIf(!postgres.available)('on Postgres', () => {
    upgradeScenarios('Postgres', emptyPostgres);
  });
});
