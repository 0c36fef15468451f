import { randomBytes, randomUUID } from 'node:crypto';
import { createAuditLogService } from '@carequeue/audit';
import { auditMigrations, postgresAuditStore } from '@carequeue/audit/postgres';
import { createCacheService, defaultNamespaces } from '@carequeue/cache';
import {
  ClinicId,
  QueueId,
  StaffId,
  TenantId,
  UserId,
  systemClock,
  uuidv7,
  type Actor,
} from '@carequeue/core';
import {
  createFieldEncryptor,
  memorySubjectKeyStore,
  keyringFromConfig,
} from '@carequeue/core/crypto';
import { coreMigrations, createPgExecutor, migrate, type SqlExecutor } from '@carequeue/core/sql';
import { createQueueService, type QueueService } from '@carequeue/queue';
import { queueMigrations, sqlWalkInUnitOfWork } from '@carequeue/queue/postgres';
import pg from 'pg';
import { defineCase } from '../../case-definition.js';

const CALLERS = 10;
const CALLS_PER_ROUND = 1_500;
const ROUNDS = 5;
const WARMUP_ROUNDS = 1;
/** Enough waiting patients that no round finds the line empty. */
const WAITING = CALLS_PER_ROUND * (ROUNDS + WARMUP_ROUNDS) + 1_000;

const PEER_CLAIM_SQL = `UPDATE bench_queue_entries
SET status = 'called', called_at = now(), counter = $3, updated_at = now(), version = version + 1
WHERE id = (
  SELECT id FROM bench_queue_entries
  WHERE tenant_id = $1 AND queue_id = $2 AND status = 'waiting'
  ORDER BY ordering_key, id
  LIMIT 1
  FOR UPDATE SKIP LOCKED)
RETURNING id`;

interface QueueBenchState {
  readonly drop: () => Promise<void>;
  readonly pool: pg.Pool;
  readonly executor: SqlExecutor;
  readonly service: QueueService;
  readonly staff: Actor;
  readonly tenantId: TenantId;
  readonly clinicId: ClinicId;
  readonly queueId: QueueId;
  readonly peerQueueId: string;
  /** Calls that found the line empty; must stay 0 for the figures to mean anything. */
  readonly empty: { ours: number; peer: number };
}

async function createQueueBenchDatabase(
  adminUrl: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `cq_bench_queue_${randomUUID().replaceAll('-', '')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 1 });
  try {
    const executor = createPgExecutor({ pool });
    await executor.exec('CREATE EXTENSION IF NOT EXISTS btree_gist;');
    await migrate(executor, [coreMigrations, auditMigrations, queueMigrations]);
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

/** Inserts `count` waiting walk-ins, one second apart, into `table` in one statement. */
function seedSql(table: string): string {
  return `INSERT INTO ${table} (id, tenant_id, clinic_id, queue_id, source, status, priority,
    ordering_key, ticket, checked_in_at, effective_at, updated_at, version)
  SELECT gen_random_uuid(), $1, $2, $3, 'walk-in', 'waiting', 0,
    1772438400000 + n * 1000, 'W' || lpad((n % 1000)::text, 3, '0'),
    to_timestamp(1772438400 + n), to_timestamp(1772438400 + n), to_timestamp(1772438400 + n), 0
  FROM generate_series(1, $4) AS n`;
}

export default defineCase({
  id: 'queue.call-next',
  kind: 'throughput',
  unit: 'ops/s',
  better: 'higher',
  target: null,
  peerName: 'pg 8.23.1 bare UPDATE ... WHERE id = (SELECT ... FOR UPDATE SKIP LOCKED LIMIT 1)',
  notes:
    'report only (the issue asks for the ratio, not a target): each call also takes the next ' +
    'per-queue event version from the line row, which stays locked until commit so that event ' +
    'versions become visible in commit order (ADR 0008); calls of one line therefore commit one ' +
    'at a time, while the peer claims rows in parallel; ' +
    `${String(CALLERS)} concurrent callers, pool of ${String(CALLERS)} connections, one line of ` +
    `${String(WAITING)} waiting walk-ins, ${String(CALLS_PER_ROUND)} calls per round; ours: ` +
    'QueueService.callNext as a receptionist (one transaction under the caller JWT claims with ' +
    'forced RLS: SKIP LOCKED claim, per-queue event version from the line row, queue event ' +
    'insert, audit event with encrypted old/new values, summary cache drop); peer: the bare ' +
    'single-statement claim in autocommit on a table created LIKE queue.queue_entries ' +
    'INCLUDING ALL (same columns, checks and indexes; no RLS, triggers or foreign keys); ' +
    'synchronous_commit as the server default',
  concurrency: CALLERS,
  operations: CALLS_PER_ROUND,
  rounds: ROUNDS,
  warmupRounds: WARMUP_ROUNDS,
  setup: async ({ services, smoke }): Promise<QueueBenchState> => {
    const database = await createQueueBenchDatabase(services.postgres);
    const pool = new pg.Pool({ connectionString: database.url, max: CALLERS });
    // Dropping the database at teardown ends idle connections; that is expected, not a crash.
    pool.on('error', () => undefined);
    const executor = createPgExecutor({ pool });
    const tenantId = TenantId.parse(uuidv7());
    const clinicId = ClinicId.parse(uuidv7());
    const queueId = QueueId.parse(uuidv7());
    const peerQueueId = uuidv7();
    const waiting = smoke ? CALLS_PER_ROUND * 2 + 100 : WAITING;
    await executor.transaction(async (tx) => {
      await tx.query(
        "INSERT INTO queue.tenants (tenant_id, name, created_at) VALUES ($1, 'Bench', now())",
        [tenantId],
      );
      await tx.query(
        `INSERT INTO queue.clinics (id, tenant_id, name, time_zone, settings, created_at, updated_at, version)
         VALUES ($1, $2, 'Bench clinic', 'UTC', '{}', now(), now(), 0)`,
        [clinicId, tenantId],
      );
      await tx.query(
        `INSERT INTO queue.queue_lines (tenant_id, queue_id, clinic_id, last_ticket, created_at)
         VALUES ($1, $2, $3, $4, now())`,
        [tenantId, queueId, clinicId, waiting],
      );
      await tx.query(seedSql('queue.queue_entries'), [tenantId, clinicId, queueId, waiting]);
      await tx.query('CREATE TABLE bench_queue_entries (LIKE queue.queue_entries INCLUDING ALL)');
      await tx.query(seedSql('bench_queue_entries'), [tenantId, clinicId, peerQueueId, waiting]);
    });
    await executor.exec('ANALYZE queue.queue_entries; ANALYZE bench_queue_entries;');
    const key = (): string => randomBytes(32).toString('base64');
    const encryptor = createFieldEncryptor({
      keys: keyringFromConfig({ current: 'k1', keys: { k1: key() } }),
      subjectKeys: memorySubjectKeyStore(),
      blindIndex: { key: key() },
    });
    const service = createQueueService({
      unitOfWork: sqlWalkInUnitOfWork({ executor }),
      audit: createAuditLogService({
        store: postgresAuditStore({ executor }),
        encryptor,
        clock: systemClock,
      }),
      cache: createCacheService({ namespaces: defaultNamespaces, encryptor, clock: systemClock }),
      clock: systemClock,
    });
    const staff: Actor = {
      userId: UserId.parse(uuidv7()),
      tenantId,
      roles: ['receptionist'],
      aal: 'aal2',
      staffId: StaffId.parse(uuidv7()),
      clinicIds: [clinicId],
    };
    return {
      drop: database.drop,
      pool,
      executor,
      service,
      staff,
      tenantId,
      clinicId,
      queueId,
      peerQueueId,
      empty: { ours: 0, peer: 0 },
    };
  },
  teardown: async (state) => {
    if (state.empty.ours > 0 || state.empty.peer > 0) {
      throw new Error(
        `queue.call-next found the line empty (ours ${String(state.empty.ours)}, peer ${String(state.empty.peer)} calls); seed more entries.`,
      );
    }
    await state.pool.end();
    await state.drop();
  },
  ours: (state) => async () => {
    const called = await state.service.callNext(state.staff, {
      clinicId: state.clinicId,
      queueId: state.queueId,
      counter: 'Desk 1',
    });
    if (called === undefined) state.empty.ours += 1;
  },
  peer: (state) => async () => {
    const { rowCount } = await state.executor.query(PEER_CLAIM_SQL, [
      state.tenantId,
      state.peerQueueId,
      'Desk 1',
    ]);
    if (rowCount === 0) state.empty.peer += 1;
  },
});
