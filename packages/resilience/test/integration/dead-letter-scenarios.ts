import { randomBytes, randomUUID } from 'node:crypto';
import { createFieldEncryptor, keyringFromConfig } from '@carequeue/core/crypto';
import {
  asServiceRole,
  SqlPermissionDeniedError,
  type SqlExecutor,
  withClaims,
} from '@carequeue/core/sql';
import { describe, expect, it } from 'vitest';
import { ResilienceStoreError } from '../../src/index.js';
import { postgresDeadLetterStore } from '../../src/postgres/index.js';
import { runDeadLetterStoreContract } from '../../src/testing/index.js';

/**
 * The field encryptor the integration tests seal dead-letter payloads with.
 *
 * @example
 * ```ts
 * const store = postgresDeadLetterStore({ executor, encryptor: testEncryptor });
 * ```
 */
export const testEncryptor = createFieldEncryptor({
  keys: keyringFromConfig({ current: 'k1', keys: { k1: randomBytes(32).toString('base64') } }),
});

const FAILED_AT = Date.UTC(2026, 0, 1);

function tenantClaims(tenantId: string, roles: readonly string[] = ['admin']) {
  return { sub: randomUUID(), app_metadata: { tenant_id: tenantId, roles } };
}

/**
 * Registers the dead-letter store contract and the Postgres-only checks (encryption at rest,
 * row-level security, prefixed errors) against `executor`.
 *
 * @example
 * ```ts
 * deadLetterScenarios(() => createPgliteExecutor(pglite.db));
 * ```
 */
export function deadLetterScenarios(executor: () => SqlExecutor): void {
  runDeadLetterStoreContract({
    name: 'postgresDeadLetterStore',
    create: () => postgresDeadLetterStore({ executor: executor(), encryptor: testEncryptor }),
    describe,
    it,
    expect,
  });

  describe('postgresDeadLetterStore at rest', () => {
    const add = async (sql: SqlExecutor, tenantId: string): Promise<void> => {
      await postgresDeadLetterStore({ executor: sql, encryptor: testEncryptor }).add({
        id: randomUUID(),
        tenantId,
        kind: 'sms.reminder',
        payload: '{"phone":"+15550100"}',
        errorCode: 'TIMEOUT',
        errorMessage: 'Timed out.',
        attempts: 1,
        correlationId: undefined,
        failedAt: FAILED_AT,
      });
    };

    it('keeps only ciphertext in the payload column when a letter is stored', async () => {
      const sql = executor();
      const tenantId = randomUUID();
      await add(sql, tenantId);
      const { rows } = await asServiceRole(sql, (tx) =>
        tx.query<{ payload: string }>(
          'SELECT payload FROM resilience.dead_letters WHERE tenant_id = $1',
          [tenantId],
        ),
      );
      expect(rows.length).toBe(1);
      expect(rows[0]?.payload.startsWith('cq1.')).toBe(true);
      expect(rows[0]?.payload).not.toContain('15550100');
    });

    it('shows authenticated users only their own tenant rows when row-level security applies', async () => {
      const sql = executor();
      const mine = randomUUID();
      const theirs = randomUUID();
      await add(sql, mine);
      await add(sql, theirs);
      const visible = await withClaims(sql, tenantClaims(mine), (tx) =>
        tx.query<{ tenant_id: string }>(
          'SELECT tenant_id::text AS tenant_id FROM resilience.dead_letters',
        ),
      );
      expect(visible.rows.map((row) => row.tenant_id)).toEqual([mine]);
      const forgery = withClaims(sql, tenantClaims(mine), (tx) =>
        tx.query(
          `INSERT INTO resilience.dead_letters (tenant_id, id, kind, payload, error_code,
             error_message, attempts, first_failed_at, last_failed_at)
           VALUES ($1, 'x', 'k', 'p', 'c', 'm', 1, $2, $2)`,
          [theirs, new Date(FAILED_AT)],
        ),
      );
      await expect(forgery).rejects.toThrow();
    });

    it('patients cannot read, re-arm or delete dead letters', async () => {
      const sql = executor();
      const tenantId = randomUUID();
      await add(sql, tenantId);
      const asPatient = <T>(fn: (tx: SqlExecutor) => Promise<T>) =>
        withClaims(sql, tenantClaims(tenantId, ['patient']), fn);
      const read = await asPatient((tx) => tx.query('SELECT id FROM resilience.dead_letters'));
      expect(read.rows).toEqual([]);
      // Re-arm and delete are refused outright, even with no WHERE and no RETURNING.
      for (const write of [
        'UPDATE resilience.dead_letters SET replayed_at = NULL',
        'UPDATE resilience.dead_letters SET attempts = 1, last_failed_at = first_failed_at',
        'DELETE FROM resilience.dead_letters',
      ]) {
        await expect(
          asPatient((tx) => tx.query(write)),
          write,
        ).rejects.toBeInstanceOf(SqlPermissionDeniedError);
      }
      await expect(
        asPatient((tx) =>
          tx.query(
            `INSERT INTO resilience.dead_letters (tenant_id, id, kind, payload, error_code,
               error_message, attempts, first_failed_at, last_failed_at)
             VALUES ($1, 'forged', 'k', 'p', 'c', 'm', 1, $2, $2)`,
            [tenantId, new Date(FAILED_AT)],
          ),
        ),
      ).rejects.toBeInstanceOf(SqlPermissionDeniedError);
      const staff = await withClaims(sql, tenantClaims(tenantId, ['receptionist']), (tx) =>
        tx.query('SELECT id FROM resilience.dead_letters'),
      );
      expect(staff.rows).toEqual([]);
      const stored = await asServiceRole(sql, (tx) =>
        tx.query<{ attempts: number }>(
          'SELECT attempts FROM resilience.dead_letters WHERE tenant_id = $1',
          [tenantId],
        ),
      );
      expect(stored.rows).toEqual([{ attempts: 1 }]);
    });

    it('throws a prefixed store error wrapping the database error when the tenant id is malformed', async () => {
      const failure = add(executor(), 'not-a-uuid');
      await expect(failure).rejects.toBeInstanceOf(ResilienceStoreError);
      await expect(failure).rejects.toThrow(/^\[resilience:postgres\]/);
      await expect(
        failure.catch((error: unknown) => (error as Error).cause),
      ).resolves.toBeInstanceOf(Error);
    });
  });
}
