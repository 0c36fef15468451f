import { uuidv7 } from '@carequeue/core';
import { asServiceRole, SqlPermissionDeniedError, withClaims } from '@carequeue/core/sql';
import type { JwtClaims, SqlExecutor } from '@carequeue/core/sql';
import { beforeAll, describe, expect, it } from 'vitest';
import { adminClaims, seedTwoTenants, type SeededTenant } from './tenant-fixture.js';

/** Claims of an owner of `t`, signed in as `userId`. */
function ownerClaims(t: SeededTenant, userId: string = uuidv7()): JwtClaims {
  return {
    sub: userId,
    role: 'authenticated',
    app_metadata: { tenant_id: t.tenantId, roles: ['owner'] },
  };
}

interface StaffRow {
  readonly user_id: string | null;
  readonly email: string;
  readonly roles: string[];
  readonly active: boolean;
  readonly display_name: string;
}

/**
 * Owners are protected in the database (issue 21, migration 0013): statements run as the
 * database role `authenticated` with real claims, the way PostgREST runs a signed-in user's
 * request, and the staff_guard trigger decides what the policies alone let through.
 */
export function staffOwnerRlsScenarios(executor: () => SqlExecutor): void {
  describe('owners are protected in SQL, as authenticated with real claims', () => {
    let a: SeededTenant;
    let b: SeededTenant;

    beforeAll(async () => {
      ({ a, b } = await seedTwoTenants(executor()));
    });

    /** A fresh staff row of `t` inserted as the service role; an owner unless `roles` says. */
    async function seedMember(
      t: SeededTenant,
      { roles = ['owner'], userId = uuidv7() }: { roles?: string[]; userId?: string | null } = {},
    ): Promise<string> {
      const id = uuidv7();
      await asServiceRole(executor(), (tx) =>
        tx.query(
          `INSERT INTO queue.staff (id, tenant_id, user_id, display_name, email, roles, clinic_ids, created_at, updated_at, version)
           VALUES ($1, $2, $3, 'Member', 'member@example.org', $4, ARRAY[$5::uuid], now(), now(), 0)`,
          [id, t.tenantId, userId, roles, t.clinicOne],
        ),
      );
      return id;
    }

    async function row(id: string): Promise<StaffRow> {
      return asServiceRole(executor(), async (tx) => {
        const { rows } = await tx.query<StaffRow>(
          'SELECT user_id, email, roles, active, display_name FROM queue.staff WHERE id = $1',
          [id],
        );
        return rows[0]!;
      });
    }

    function as(claims: JwtClaims, sql: string, params: unknown[]) {
      return withClaims(executor(), claims, (tx) => tx.query(sql, params));
    }

    it("an admin cannot rebind an owner's row to another account", async () => {
      const id = await seedMember(a);
      const before = await row(id);
      await expect(
        as(
          adminClaims(a),
          "UPDATE queue.staff SET user_id = $2, email = 'admin-controlled@example.org' WHERE id = $1",
          [id, a.adminUser],
        ),
      ).rejects.toBeInstanceOf(SqlPermissionDeniedError);
      await expect(
        as(
          adminClaims(a),
          "UPDATE queue.staff SET email = 'admin-controlled@example.org' WHERE id = $1",
          [id],
        ),
      ).rejects.toBeInstanceOf(SqlPermissionDeniedError);
      expect(await row(id)).toEqual(before);
    });

    it('an admin cannot demote an owner', async () => {
      const id = await seedMember(a);
      await expect(
        as(adminClaims(a), "UPDATE queue.staff SET roles = '{receptionist}' WHERE id = $1", [id]),
      ).rejects.toBeInstanceOf(SqlPermissionDeniedError);
      expect((await row(id)).roles).toEqual(['owner']);
    });

    it('an admin cannot deactivate an owner', async () => {
      const id = await seedMember(a);
      await expect(
        as(adminClaims(a), 'UPDATE queue.staff SET active = false WHERE id = $1', [id]),
      ).rejects.toBeInstanceOf(SqlPermissionDeniedError);
      expect((await row(id)).active).toBe(true);
    });

    it("an admin cannot bind an owner's row that has no account yet", async () => {
      const id = await seedMember(a, { userId: null });
      await expect(
        as(adminClaims(a), 'UPDATE queue.staff SET user_id = $2 WHERE id = $1', [id, uuidv7()]),
      ).rejects.toBeInstanceOf(SqlPermissionDeniedError);
      expect((await row(id)).user_id).toBeNull();
    });

    it('an admin cannot make a member an owner, by update or by insert', async () => {
      const id = await seedMember(a, { roles: ['clinician'] });
      await expect(
        as(adminClaims(a), "UPDATE queue.staff SET roles = '{clinician,owner}' WHERE id = $1", [
          id,
        ]),
      ).rejects.toBeInstanceOf(SqlPermissionDeniedError);
      await expect(
        as(
          adminClaims(a),
          `INSERT INTO queue.staff (id, tenant_id, user_id, display_name, email, roles, created_at, updated_at, version)
           VALUES ($1, $2, $3, 'Second Owner', 'admin-controlled@example.org', '{owner}', now(), now(), 0)`,
          [uuidv7(), a.tenantId, uuidv7()],
        ),
      ).rejects.toBeInstanceOf(SqlPermissionDeniedError);
      expect((await row(id)).roles).toEqual(['clinician']);
    });

    it("an admin still renames an owner and moves the owner's clinics", async () => {
      const id = await seedMember(a);
      const { rowCount } = await as(
        adminClaims(a),
        "UPDATE queue.staff SET display_name = 'Renamed', clinic_ids = ARRAY[$2::uuid], roles = roles WHERE id = $1",
        [id, a.clinicTwo],
      );
      expect(rowCount).toBe(1);
      expect((await row(id)).display_name).toBe('Renamed');
    });

    it("an owner demotes another owner and changes the owner's e-mail and active flag", async () => {
      const id = await seedMember(a);
      const { rowCount } = await as(
        ownerClaims(a),
        "UPDATE queue.staff SET roles = '{receptionist}', email = 'former@example.org', active = false WHERE id = $1",
        [id],
      );
      expect(rowCount).toBe(1);
      expect(await row(id)).toMatchObject({ roles: ['receptionist'], active: false });
    });

    it("no one rebinds a bound member's account: not an admin, an owner or the service role", async () => {
      const id = await seedMember(a, { roles: ['clinician'] });
      const before = await row(id);
      for (const claims of [adminClaims(a), ownerClaims(a)]) {
        for (const userId of [uuidv7(), null]) {
          await expect(
            as(claims, 'UPDATE queue.staff SET user_id = $2 WHERE id = $1', [id, userId]),
          ).rejects.toBeInstanceOf(SqlPermissionDeniedError);
        }
      }
      await expect(
        asServiceRole(executor(), (tx) =>
          tx.query('UPDATE queue.staff SET user_id = $2 WHERE id = $1', [id, uuidv7()]),
        ),
      ).rejects.toBeInstanceOf(SqlPermissionDeniedError);
      expect(await row(id)).toEqual(before);
    });

    it('an admin binds a member who has no account yet', async () => {
      const id = await seedMember(a, { roles: ['clinician'], userId: null });
      const userId = uuidv7();
      await as(adminClaims(a), 'UPDATE queue.staff SET user_id = $2 WHERE id = $1', [id, userId]);
      expect((await row(id)).user_id).toBe(userId);
    });

    it("an owner of another tenant cannot demote this tenant's owners", async () => {
      const id = await seedMember(a);
      const { rowCount } = await as(
        ownerClaims(b),
        "UPDATE queue.staff SET roles = '{receptionist}' WHERE id = $1",
        [id],
      );
      expect(rowCount).toBe(0);
      expect((await row(id)).roles).toEqual(['owner']);
    });

    it('an admin whose claims say service_role is still refused: the database role decides', async () => {
      const id = await seedMember(a);
      await expect(
        executor().transaction(async (tx) => {
          await tx.query(
            "SELECT set_config('request.jwt.claims', $1, true), set_config('role', 'authenticated', true)",
            [JSON.stringify({ ...adminClaims(a), role: 'service_role' })],
          );
          await tx.query("UPDATE queue.staff SET roles = '{receptionist}' WHERE id = $1", [id]);
        }),
      ).rejects.toBeInstanceOf(SqlPermissionDeniedError);
      expect((await row(id)).roles).toEqual(['owner']);
    });
  });
}
