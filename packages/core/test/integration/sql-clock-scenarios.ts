import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  asServiceRole,
  coreMigrations,
  freezeSqlClock,
  migrate,
  releaseSqlClock,
  SqlPermissionDeniedError,
  withClaims,
  type SqlExecutor,
} from '../../src/sql/index.js';

const FROZEN = new Date('2026-03-02T08:00:00.000Z');
const CHOSEN = new Date('2030-01-01T00:00:00.000Z');
const USER = '0190a000-0000-7000-8000-0000000000f1';
const TENANT = '0190a000-0000-7000-8000-00000000000a';

/**
 * Runs `fn` as database role `role` with exactly these claims, as PostgREST would after
 * verifying a token, including claims withClaims would never write (a `role` of service_role).
 */
function asRoleWithClaims<T>(
  executor: SqlExecutor,
  role: 'anon' | 'authenticated',
  claims: Record<string, unknown>,
  fn: (tx: SqlExecutor) => Promise<T>,
): Promise<T> {
  return executor.transaction(async (tx) => {
    await tx.query(
      "SELECT set_config('request.jwt.claims', $1, true), set_config('role', $2, true)",
      [JSON.stringify(claims), role],
    );
    return fn(tx);
  });
}

const forgedServiceClaims = {
  sub: USER,
  role: 'service_role',
  app_metadata: { tenant_id: TENANT, roles: ['owner'] },
};

async function sqlNow(tx: SqlExecutor): Promise<Date> {
  const { rows } = await tx.query<{ now: Date }>('SELECT public.carequeue_now() AS now');
  return new Date(rows[0]!.now);
}

/** The SQL clock of core's migration 0003, on one database per call site. */
export function describeSqlClock(name: string, executor: () => SqlExecutor): void {
  describe(`${name}: SQL clock`, () => {
    beforeAll(async () => {
      await migrate(executor(), [coreMigrations]);
    });
    afterEach(() => releaseSqlClock(executor()));

    const user = () => ({ sub: USER, app_metadata: { tenant_id: TENANT, roles: ['patient'] } });

    it("reads the database's time when nobody froze it", async () => {
      const { rows } = await executor().transaction((tx) =>
        tx.query<{ same: boolean }>('SELECT public.carequeue_now() = now() AS same'),
      );
      expect(rows).toEqual([{ same: true }]);
    });

    it('reads the instant the owner froze, for every role', async () => {
      await freezeSqlClock(executor(), FROZEN);
      expect(await sqlNow(executor())).toEqual(FROZEN);
      expect(await withClaims(executor(), user(), sqlNow)).toEqual(FROZEN);
      expect(await asRoleWithClaims(executor(), 'anon', {}, sqlNow)).toEqual(FROZEN);
      expect(await asServiceRole(executor(), sqlNow)).toEqual(FROZEN);
    });

    it('lets service_role freeze and release the clock', async () => {
      await asServiceRole(executor(), (tx) => freezeSqlClock(tx, FROZEN.getTime()));
      expect(await withClaims(executor(), user(), sqlNow)).toEqual(FROZEN);
      await asServiceRole(executor(), (tx) => releaseSqlClock(tx));
      const { rows } = await withClaims(executor(), user(), (tx) =>
        tx.query<{ same: boolean }>('SELECT public.carequeue_now() = now() AS same'),
      );
      expect(rows).toEqual([{ same: true }]);
    });

    it('an authenticated user cannot move the SQL clock by any means', async () => {
      await freezeSqlClock(executor(), FROZEN);
      const chosen = CHOSEN.toISOString();
      // Settings a caller may set freely: none of them is read by the clock.
      const settingAttempts = [
        `SET carequeue.now = '${chosen}'`,
        `SET LOCAL carequeue.now = '${chosen}'`,
        `SET carequeue.frozen_at = '${chosen}'`,
        `SELECT set_config('carequeue.now', '${chosen}', false)`,
        `SELECT set_config('carequeue.sql_clock', '${chosen}', true)`,
        "SET LOCAL TIME ZONE 'Pacific/Kiritimati'",
      ];
      for (const attempt of settingAttempts) {
        const seen = await withClaims(executor(), user(), async (tx) => {
          await tx.query(attempt);
          return sqlNow(tx);
        });
        expect(seen, attempt).toEqual(FROZEN);
      }
      const tableAttempts = [
        'INSERT INTO carequeue.sql_clock (singleton, frozen_at) VALUES (true, $1)',
        'UPDATE carequeue.sql_clock SET frozen_at = $1',
        'DELETE FROM carequeue.sql_clock WHERE $1::timestamptz IS NOT NULL',
        'SELECT frozen_at FROM carequeue.sql_clock WHERE frozen_at <> $1',
      ];
      for (const attempt of tableAttempts) {
        for (const role of ['authenticated', 'anon'] as const) {
          await expect(
            asRoleWithClaims(executor(), role, forgedServiceClaims, (tx) =>
              tx.query(attempt, [CHOSEN]),
            ),
            `${role}: ${attempt}`,
          ).rejects.toBeInstanceOf(SqlPermissionDeniedError);
        }
      }
      await expect(
        withClaims(executor(), user(), (tx) => freezeSqlClock(tx, CHOSEN)),
      ).rejects.toBeInstanceOf(SqlPermissionDeniedError);
      await expect(
        withClaims(executor(), user(), (tx) => releaseSqlClock(tx)),
      ).rejects.toBeInstanceOf(SqlPermissionDeniedError);
      expect(await sqlNow(executor())).toEqual(FROZEN);
    });

    it('a role claim of service_role in the JWT grants nothing to authenticated', async () => {
      await freezeSqlClock(executor(), FROZEN);
      const probe = (tx: SqlExecutor) =>
        tx.query<{ trusted: boolean; at: Date }>(
          'SELECT public.carequeue_trusted_caller() AS trusted, public.carequeue_caller_time($1) AS at',
          [CHOSEN],
        );
      for (const role of ['authenticated', 'anon'] as const) {
        const { rows } = await asRoleWithClaims(executor(), role, forgedServiceClaims, probe);
        expect(
          rows.map((row) => ({ ...row, at: new Date(row.at) })),
          role,
        ).toEqual([{ trusted: false, at: FROZEN }]);
      }
    });

    it('takes the time a service_role or owner caller asks for, and the SQL clock otherwise', async () => {
      await freezeSqlClock(executor(), FROZEN);
      const timeFor = async (tx: SqlExecutor, requested: Date | null) => {
        const { rows } = await tx.query<{ trusted: boolean; at: Date }>(
          'SELECT public.carequeue_trusted_caller() AS trusted, public.carequeue_caller_time($1) AS at',
          [requested],
        );
        return { trusted: rows[0]!.trusted, at: new Date(rows[0]!.at) };
      };
      expect(await asServiceRole(executor(), (tx) => timeFor(tx, CHOSEN))).toEqual({
        trusted: true,
        at: CHOSEN,
      });
      expect(await executor().transaction((tx) => timeFor(tx, CHOSEN))).toEqual({
        trusted: true,
        at: CHOSEN,
      });
      expect(await asServiceRole(executor(), (tx) => timeFor(tx, null))).toEqual({
        trusted: true,
        at: FROZEN,
      });
      expect(await withClaims(executor(), user(), (tx) => timeFor(tx, CHOSEN))).toEqual({
        trusted: false,
        at: FROZEN,
      });
    });
  });
}
