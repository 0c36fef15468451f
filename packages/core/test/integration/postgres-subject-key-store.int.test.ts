import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFieldEncryptor } from '../../src/crypto/field-encryptor.js';
import { keyringFromConfig } from '../../src/crypto/key-provider.js';
import { ValidationError } from '../../src/errors.js';
import {
  asServiceRole,
  createPgExecutor,
  postgresSubjectKeyStore,
  SqlPermissionDeniedError,
  withClaims,
  type PgSqlExecutor,
} from '../../src/sql/index.js';
// The harness is built on core's SQL layer, so core's tests import the built harness by path.
import {
  requirePostgres,
  useTestDatabase,
  waitUntil,
} from '../../../../tools/test-harness/dist/index.js';
import { describeSubjectKeyRewrap } from '../support/subject-key-rewrap-scenarios.js';
import { describeSubjectKeyStoreContract } from '../support/subject-key-store-contract.js';

const postgres = await requirePostgres();

describe.skipIf(!postgres.available)('postgresSubjectKeyStore on Postgres 15', () => {
  const db = useTestDatabase();
  let sql: PgSqlExecutor | undefined;

  beforeAll(() => {
    sql = createPgExecutor({ connectionString: db.url, poolSize: 6 });
  });
  afterAll(async () => {
    await sql?.close();
  });

  function executor(): PgSqlExecutor {
    if (!sql) throw new Error('The executor is not ready yet.');
    return sql;
  }

  async function emptyStore() {
    await asServiceRole(executor(), (tx) => tx.query('DELETE FROM carequeue.subject_keys'));
    return postgresSubjectKeyStore({ executor: executor() });
  }

  describeSubjectKeyStoreContract('postgresSubjectKeyStore on Postgres', emptyStore);
  describeSubjectKeyRewrap('postgresSubjectKeyStore on Postgres', emptyStore);

  const keyring = (current: 'k1' | 'k2', keys: Record<string, string>) =>
    keyringFromConfig({ current, keys });
  const material = {
    k1: randomBytes(32).toString('base64'),
    k2: randomBytes(32).toString('base64'),
  };

  it('updates nothing when a re-wrap waits on the row lock of an erasure that then commits', async () => {
    const store = await emptyStore();
    const subjectId = randomUUID();
    const field = { table: 'patients', column: 'national_id', rowId: subjectId, subjectId };
    await createFieldEncryptor({
      keys: keyring('k1', { k1: material.k1 }),
      subjectKeys: store,
    }).encrypt('123-45-6789', field);
    const erasure = await db.pool.connect();
    try {
      await erasure.query('BEGIN');
      await erasure.query('DELETE FROM carequeue.subject_keys WHERE subject_id = $1', [subjectId]);
      const rotating = createFieldEncryptor({ keys: keyring('k2', material), subjectKeys: store });
      const rewrap = rotating.rewrapSubjectKeys();
      await waitUntil(
        async () => {
          const { rows } = await db.pool.query<{ waiting: number }>(
            `SELECT count(*)::int AS waiting FROM pg_stat_activity
             WHERE datname = current_database() AND wait_event_type = 'Lock'`,
          );
          return (rows[0]?.waiting ?? 0) > 0;
        },
        { description: 'the re-wrap waits on the erasure' },
      );
      await erasure.query('COMMIT');
      expect(await rewrap).toMatchObject({ rewrapped: 0, changedConcurrently: 1 });
    } finally {
      erasure.release();
    }
    expect(await store.get(subjectId)).toBeUndefined();
    const { rows } = await db.pool.query(
      'SELECT 1 FROM carequeue.subject_keys WHERE subject_id = $1',
      [subjectId],
    );
    expect(rows).toEqual([]);
  });

  it('shows authenticated users no subject keys when row-level security applies', async () => {
    const store = await emptyStore();
    await store.createIfAbsent(randomUUID(), { keyId: 'key-a', wrappedKey: 'cq1.k.k1.a' });
    const claims = { sub: randomUUID(), app_metadata: { tenant_id: randomUUID() } };
    const reading = withClaims(executor(), claims, (tx) =>
      tx.query('SELECT subject_id FROM carequeue.subject_keys'),
    );
    await expect(reading).rejects.toBeInstanceOf(SqlPermissionDeniedError);
  });

  it('throws ValidationError naming the option when no executor is given', () => {
    for (const options of [null, {}, { executor: 'postgres://' }]) {
      expect(() => postgresSubjectKeyStore(options as never)).toThrow(ValidationError);
    }
  });
});
