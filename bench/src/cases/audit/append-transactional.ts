import { randomUUID } from 'node:crypto';
import { recordInTransaction } from '@carequeue/audit/postgres';
import { sampleAuditEvent } from '@carequeue/audit/testing';
import { uuidv7 } from '@carequeue/core';
import { createPgExecutor } from '@carequeue/core/sql';
import pg from 'pg';
import { defineCase } from '../../case-definition.js';
import { createAuditBenchDatabase } from './append-buffered.js';

const CONNECTIONS = 8;

const APPOINTMENT_SQL = `INSERT INTO bench_appointments (id, tenant_id, patient_id, status, updated_at)
VALUES ($1, $2, $3, 'booked', now())`;

export default defineCase({
  id: 'audit.append-transactional',
  kind: 'throughput',
  unit: 'ops/s',
  better: 'higher',
  target: 0.5,
  peerName: 'pg 8.23.1 same transaction without the audit event',
  notes:
    `${CONNECTIONS} callers on a pool of ${CONNECTIONS} connections, one tenant; each operation is ` +
    'one transaction (BEGIN, INSERT of an appointment row, COMMIT) through one core pg executor ' +
    'created with preparedStatements: true (a direct connection); ours adds its audit event ' +
    'through recordInTransaction, which queues it with queryBeforeCommit: one call of ' +
    'audit.append_event with typed parameters (a named prepared statement; the definer function ' +
    'stores a trusted caller as given, ADR 0016, and the trigger registers the id and queues it ' +
    'for the sealer) sent with COMMIT in one round trip; the peer marks no statement for ' +
    'preparing, so the option does ' +
    'not change its transactions; synchronous_commit as the server default',
  concurrency: CONNECTIONS,
  durationMs: 3_000,
  rounds: 5,
  setup: async ({ services }) => {
    const database = await createAuditBenchDatabase(services.postgres);
    const pool = new pg.Pool({ connectionString: database.url, max: CONNECTIONS });
    // Dropping the database at teardown ends idle connections; that is expected, not a crash.
    pool.on('error', () => undefined);
    const executor = createPgExecutor({ pool, preparedStatements: true });
    await executor.exec(`CREATE TABLE bench_appointments (
      id uuid PRIMARY KEY, tenant_id uuid NOT NULL, patient_id text NOT NULL, status text NOT NULL,
      updated_at timestamptz NOT NULL)`);
    return { database, pool, executor, tenantId: randomUUID() };
  },
  teardown: async (state) => {
    await state.pool.end();
    await state.database.drop();
  },
  ours: (state) => () =>
    state.executor.transaction(async (tx) => {
      const id = uuidv7();
      await tx.query(APPOINTMENT_SQL, [id, state.tenantId, 'p-1']);
      await recordInTransaction(
        tx,
        sampleAuditEvent({
          id: uuidv7(),
          tenantId: state.tenantId,
          category: 'modification',
          action: 'create',
          resourceType: 'Appointment',
          resourceId: id,
          timestamp: new Date(),
        }),
      );
    }),
  peer: (state) => () =>
    state.executor.transaction(async (tx) => {
      await tx.query(APPOINTMENT_SQL, [uuidv7(), state.tenantId, 'p-1']);
    }),
});
