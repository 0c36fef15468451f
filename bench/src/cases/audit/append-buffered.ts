import { randomUUID } from 'node:crypto';
import { createBufferedAuditWriter, type AuditEvent } from '@carequeue/audit';
import { sampleAuditEvent } from '@carequeue/audit/testing';
import { uuidv7 } from '@carequeue/core';
import { auditMigrations, postgresAuditStore, toEventRecord } from '@carequeue/audit/postgres';
import { coreMigrations, createPgExecutor, migrate } from '@carequeue/core/sql';
import pg from 'pg';
import { defineCase } from '../../case-definition.js';

/** A fresh database with the core and audit migrations applied, dropped by `drop`. */
export interface AuditBenchDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

/**
 * Creates a database named for this run on the bench Postgres server and migrates it as
 * production does (core's migrator with the core and audit migrations).
 */
export async function createAuditBenchDatabase(adminUrl: string): Promise<AuditBenchDatabase> {
  const name = `cq_bench_audit_${randomUUID().replaceAll('-', '')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 1 });
  try {
    const executor = createPgExecutor({ pool });
    await executor.exec('CREATE EXTENSION IF NOT EXISTS btree_gist;');
    await migrate(executor, [coreMigrations, auditMigrations]);
  } finally {
    await pool.end();
  }
  return {
    url: url.toString(),
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** The audit table's columns without partitions, triggers, indexes or chain: the floor. */
export const UNCHAINED_TABLE_SQL = `CREATE TABLE bench_unchained_events (
  id uuid PRIMARY KEY, tenant_id uuid NOT NULL, user_id text, category text NOT NULL,
  action text NOT NULL, resource_type text NOT NULL, resource_id text, patient_id text,
  outcome text NOT NULL, old_value jsonb, new_value jsonb, changed_fields text[] NOT NULL,
  ip_address text, user_agent text, "timestamp" timestamptz NOT NULL, metadata jsonb NOT NULL,
  purpose_of_use text, recipient text, disclosure_basis text, session_id text,
  correlation_id text, data_categories text[] NOT NULL, retention_class text NOT NULL)`;

const WRITERS = 8;
const EVENTS_PER_WRITER = 1_000;
const BATCH = 500;

const UNCHAINED_INSERT_SQL = `INSERT INTO bench_unchained_events
SELECT * FROM jsonb_populate_recordset(NULL::bench_unchained_events, $1::jsonb)`;

function eventsFor(tenantId: string, count: number): AuditEvent[][] {
  return Array.from({ length: WRITERS }, () =>
    Array.from({ length: count }, () =>
      sampleAuditEvent({ id: uuidv7(), tenantId, timestamp: new Date() }),
    ),
  );
}

export default defineCase({
  id: 'audit.append-buffered',
  kind: 'samples',
  unit: 'events/s',
  better: 'higher',
  target: 0.3,
  peerName: 'pg 8.23.1 multi-row INSERT into an unchained table',
  notes:
    `${WRITERS} writers x ${EVENTS_PER_WRITER} read events, all issued at once per writer; ` +
    `ours: one buffered writer per writer (maxBatchSize ${BATCH}, no spool) on a shared pool of ` +
    `${WRITERS}, into the partitioned, indexed, append-only audit.events, then audit.seal until ` +
    `the chain holds every event (time to sealed); peer: the same rows, ${BATCH} per ` +
    'INSERT ... jsonb_populate_recordset, 8 connections, into a table with the same columns and ' +
    'only a primary key (no partitions, triggers, chain or sealing); a fresh tenant per round',
  rounds: 5,
  setup: async ({ services }) => {
    const database = await createAuditBenchDatabase(services.postgres);
    const pool = new pg.Pool({ connectionString: database.url, max: WRITERS });
    // Dropping the database at teardown ends idle connections; that is expected, not a crash.
    pool.on('error', () => undefined);
    await pool.query(UNCHAINED_TABLE_SQL);
    const store = postgresAuditStore({ executor: createPgExecutor({ pool }) });
    return { database, pool, store };
  },
  teardown: async (state) => {
    await state.pool.end();
    await state.database.drop();
  },
  ours: async (state, round) => {
    const tenantId = randomUUID();
    const perWriter = eventsFor(tenantId, round.smoke ? 20 : EVENTS_PER_WRITER);
    const started = performance.now();
    await Promise.all(
      perWriter.map(async (events) => {
        const writer = createBufferedAuditWriter({ store: state.store, maxBatchSize: BATCH });
        await Promise.all(events.map((event) => writer.write(event)));
        await writer.close();
      }),
    );
    let sealed = 0;
    for (let batch = await state.store.seal(tenantId); batch > 0;) {
      sealed += batch;
      batch = await state.store.seal(tenantId);
    }
    const seconds = (performance.now() - started) / 1000;
    return [sealed / seconds];
  },
  peer: async (state, round) => {
    const perWriter = eventsFor(randomUUID(), round.smoke ? 20 : EVENTS_PER_WRITER);
    const started = performance.now();
    await Promise.all(
      perWriter.map(async (events) => {
        for (let start = 0; start < events.length; start += BATCH) {
          const rows = events.slice(start, start + BATCH).map(toEventRecord);
          await state.pool.query(UNCHAINED_INSERT_SQL, [JSON.stringify(rows)]);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    return [(perWriter.length * (perWriter[0]?.length ?? 0)) / seconds];
  },
});
