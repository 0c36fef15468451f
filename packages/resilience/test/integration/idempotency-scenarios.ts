import { randomUUID } from 'node:crypto';
import { createFakeClock } from '@carequeue/core';
import { asServiceRole, type SqlExecutor, withClaims } from '@carequeue/core/sql';
import { describe, expect, it } from 'vitest';
import { ResilienceStoreError } from '../../src/index.js';
import { postgresIdempotencyStore } from '../../src/postgres/index.js';
import { runIdempotencyStoreContract } from '../../src/testing/index.js';
import { testEncryptor } from './dead-letter-scenarios.js';

/**
 * Registers the idempotency store contract and the Postgres-only checks (encryption at rest,
 * expiry by clock time, no access for authenticated users, prefixed errors) against `executor`.
 *
 * @example
 * ```ts
 * idempotencyScenarios(() => createPgliteExecutor(pglite.db));
 * ```
 */
export function idempotencyScenarios(executor: () => SqlExecutor): void {
  runIdempotencyStoreContract({
    name: 'postgresIdempotencyStore',
    create: () => postgresIdempotencyStore({ executor: executor(), encryptor: testEncryptor }),
    describe,
    it,
    expect,
  });

  describe('postgresIdempotencyStore at rest', () => {
    it('keeps only ciphertext in the response column when a response is stored', async () => {
      const sql = executor();
      const store = postgresIdempotencyStore({ executor: sql, encryptor: testEncryptor });
      const key = `t:${randomUUID()}`;
      const claim = await store.claim(key, 'f1', 60_000);
      if (claim.status !== 'claimed') throw new Error('the fresh key was not claimed');
      await store.complete(key, claim.token, 'f1', '{"patient":"Jane Doe"}', 60_000);
      const { rows } = await asServiceRole(sql, (tx) =>
        tx.query<{ response: string }>(
          'SELECT response FROM resilience.idempotency_keys WHERE key = $1',
          [key],
        ),
      );
      expect(rows[0]?.response).not.toContain('Jane');
      expect(await store.claim(key, 'f1', 60_000)).toEqual({
        status: 'completed',
        fingerprint: 'f1',
        response: '{"patient":"Jane Doe"}',
      });
    });

    it('lets a new claim win and deletes the row when the clock passes the lock expiry', async () => {
      const clock = createFakeClock(Date.UTC(2030, 0, 1));
      const store = postgresIdempotencyStore({
        executor: executor(),
        encryptor: testEncryptor,
        clock,
      });
      const key = `t:${randomUUID()}`;
      await store.claim(key, 'f1', 1_000);
      expect((await store.claim(key, 'f2', 1_000)).status).toBe('pending');
      await clock.advance(1_000);
      expect((await store.claim(key, 'f2', 1_000)).status).toBe('claimed');
      await clock.advance(Date.UTC(2031, 0, 1) - clock.now());
      expect(await store.deleteExpired()).toBeGreaterThanOrEqual(1);
      expect((await store.claim(key, 'f3', 1_000)).status).toBe('claimed');
    });

    it('shows authenticated users no keys when row-level security applies', async () => {
      const sql = executor();
      const key = `t:${randomUUID()}`;
      await postgresIdempotencyStore({ executor: sql, encryptor: testEncryptor }).claim(
        key,
        'f',
        60_000,
      );
      const claims = { sub: randomUUID(), app_metadata: { tenant_id: randomUUID() } };
      const visible = withClaims(sql, claims, (tx) =>
        tx.query('SELECT key FROM resilience.idempotency_keys WHERE key = $1', [key]),
      );
      await expect(visible).rejects.toThrow();
    });

    it('throws a prefixed store error wrapping the database error when the key is too long', async () => {
      const store = postgresIdempotencyStore({ executor: executor(), encryptor: testEncryptor });
      const failure = store.claim('k'.repeat(600), 'f', 1_000);
      await expect(failure).rejects.toBeInstanceOf(ResilienceStoreError);
      await expect(failure).rejects.toThrow(/^\[resilience:postgres\]/);
      await expect(store.release('k'.repeat(600), 'token')).resolves.toBeUndefined();
      await expect(store.complete('k'.repeat(600), 'token', 'f', '1', 1_000)).rejects.toThrow(
        /^\[resilience:postgres\]/,
      );
    });
  });
}
