import { uuidv7, type StaffId } from '@carequeue/core';
import {
  asServiceRole,
  SqlPermissionDeniedError,
  withClaims,
  type SqlExecutor,
} from '@carequeue/core/sql';
import { describe, expect, it } from 'vitest';
import { seedClinic } from './service-fixtures.js';
import { seedStaff } from './supabase-scenarios.js';
import { patientClaims, seedTwoTenants } from './tenant-fixture.js';

async function scheduleOf(
  executor: SqlExecutor,
  owner: readonly string[],
): Promise<Record<string, unknown> | null> {
  return asServiceRole(executor, async (tx) => {
    const { rows } = await tx.query<{ doc: Record<string, unknown> | null }>(
      'SELECT queue.schedule_of($1, $2, $3) AS doc',
      [...owner],
    );
    return rows[0]?.doc ?? null;
  });
}

/**
 * The SQL functions of migration 0006 called directly, as PostgREST would call them, to show
 * that each is atomic: a step failing midway leaves what was stored before.
 */
export function supabaseFunctionScenarios(executor: () => SqlExecutor): void {
  describe('migration 0006 functions', () => {
    it('keeps the stored schedule whole when a later weekly-hours entry of a save is invalid', async () => {
      const { tenantId, clinicId } = await seedClinic(executor());
      const staffId: StaffId = await seedStaff(executor(), tenantId, [clinicId]);
      const document = {
        tenant_id: tenantId,
        staff_id: staffId,
        clinic_id: clinicId,
        time_zone: 'Europe/Berlin',
        updated_at: '2026-03-02T09:00:00.000Z',
        version: 0,
        weekly_hours: [
          {
            day: 'monday',
            start: '08:00',
            end: '16:00',
            breaks: [{ start: '12:00', end: '12:30' }],
          },
        ],
        date_overrides: [{ date: '2026-12-24', intervals: [], reason: 'Closed' }],
      };
      const save = (doc: unknown) =>
        asServiceRole(executor(), async (tx) => {
          const { rows } = await tx.query<{ saved: boolean }>(
            'SELECT queue.save_schedule($1::jsonb) AS saved',
            [JSON.stringify(doc)],
          );
          return rows[0]?.saved;
        });
      expect(await save(document)).toBe(true);
      const stored = await scheduleOf(executor(), [tenantId, staffId, clinicId]);
      expect(stored).toMatchObject({ version: 0, weekly_hours: [{ day: 'monday' }] });
      // The second entry breaks the day CHECK after the first entry and the deletes already ran.
      await expect(
        save({
          ...document,
          version: 1,
          time_zone: 'UTC',
          weekly_hours: [
            { day: 'tuesday', start: '09:00', end: '17:00', breaks: [] },
            { day: 'someday', start: '09:00', end: '17:00', breaks: [] },
          ],
        }),
      ).rejects.toMatchObject({ code: 'DATABASE_ERROR', sqlState: '23514' });
      expect(await scheduleOf(executor(), [tenantId, staffId, clinicId])).toEqual(stored);
      expect(await save({ ...document, version: 0 })).toBe(false);
      expect(await save({ ...document, version: 5 })).toBe(false);
    });

    it('applies no step of an invitation unit when a later step fails', async () => {
      const { tenantId } = await seedClinic(executor());
      const invitationId = uuidv7();
      const invitation = {
        id: invitationId,
        tenant_id: tenantId,
        email: 'new@clinic.example',
        roles: ['clinician'],
        clinic_ids: [],
        status: 'pending',
        token_hash: 'b'.repeat(64),
        invited_by: uuidv7(),
        expires_at: '2026-03-09T09:00:00.000Z',
        accepted_at: null,
        staff_id: null,
        created_at: '2026-03-02T09:00:00.000Z',
        version: 0,
      };
      const commit = (steps: unknown[]) =>
        asServiceRole(executor(), (tx) =>
          tx.query('SELECT queue.commit_invitation_work($1::jsonb)', [JSON.stringify(steps)]),
        );
      const count = () =>
        asServiceRole(executor(), async (tx) => {
          const { rows } = await tx.query<{ n: number }>(
            'SELECT count(*)::int AS n FROM queue.invitations WHERE id = $1',
            [invitationId],
          );
          return rows[0]?.n;
        });
      await expect(
        commit([
          { op: 'insert_invitation', row: invitation },
          { op: 'insert_staff', row: { id: uuidv7(), tenant_id: tenantId, roles: ['nobody'] } },
        ]),
      ).rejects.toThrow();
      expect(await count()).toBe(0);
      await commit([{ op: 'insert_invitation', row: invitation }]);
      await expect(
        commit([
          { op: 'update_invitation', row: { ...invitation, status: 'revoked', version: 2 } },
        ]),
      ).rejects.toMatchObject({ sqlState: 'PT409' });
      await expect(commit([{ op: 'drop_everything' }])).rejects.toMatchObject({
        sqlState: '22023',
      });
      expect(await count()).toBe(1);
    });

    it('runs the functions under the caller claims so another tenant sees and changes nothing', async () => {
      const home = await seedClinic(executor());
      const away = await seedClinic(executor());
      const staffId = await seedStaff(executor(), home.tenantId, [home.clinicId]);
      await asServiceRole(executor(), (tx) =>
        tx.query(
          `SELECT queue.save_schedule(jsonb_build_object('tenant_id', $1::text, 'staff_id', $2::text,
             'clinic_id', $3::text, 'time_zone', 'UTC', 'updated_at', '2026-03-02T09:00:00Z',
             'version', 0, 'weekly_hours', '[]'::jsonb, 'date_overrides', '[]'::jsonb))`,
          [home.tenantId, staffId, home.clinicId],
        ),
      );
      const strangerClaims = {
        sub: uuidv7(),
        role: 'authenticated',
        app_metadata: { tenant_id: away.tenantId, roles: ['admin'] },
      };
      const seen = await withClaims(executor(), strangerClaims, async (tx) => {
        const schedule = await tx.query<{ doc: unknown }>(
          'SELECT queue.schedule_of($1, $2, $3) AS doc',
          [home.tenantId, staffId, home.clinicId],
        );
        const replaced = await tx.query<{ saved: boolean }>(
          `SELECT queue.save_schedule(jsonb_build_object('tenant_id', $1::text, 'staff_id', $2::text,
             'clinic_id', $3::text, 'time_zone', 'Asia/Tokyo', 'updated_at', '2026-03-03T09:00:00Z',
             'version', 1, 'weekly_hours', '[]'::jsonb, 'date_overrides', '[]'::jsonb)) AS saved`,
          [home.tenantId, staffId, home.clinicId],
        );
        const search = await tx.query(
          `SELECT * FROM queue.search_patients($1, '{}'::jsonb, NULL, 10)`,
          [home.tenantId],
        );
        return {
          schedule: schedule.rows[0]?.doc,
          saved: replaced.rows[0]?.saved,
          found: search.rows.length,
        };
      });
      expect(seen).toEqual({ schedule: null, saved: false, found: 0 });
      expect(await scheduleOf(executor(), [home.tenantId, staffId, home.clinicId])).toMatchObject({
        time_zone: 'UTC',
        version: 0,
      });
    });

    it("lets a patient's own update keep their clinic links (replace_patient_clinics inserted every link, which only staff may write, so the update was refused), and still refuses a patient adding a clinic", async () => {
      const { a } = await seedTwoTenants(executor());
      const replace = (clinics: string[]) =>
        withClaims(executor(), patientClaims(a), (tx) =>
          tx.query(
            `SELECT queue.replace_patient_clinics($1, $2, $3::uuid[], '2026-03-03T09:00:00Z')`,
            [a.tenantId, a.patientOne, clinics],
          ),
        );
      await replace([a.clinicOne]);
      await expect(replace([a.clinicOne, a.clinicTwo])).rejects.toBeInstanceOf(
        SqlPermissionDeniedError,
      );
      const links = await asServiceRole(executor(), (tx) =>
        tx.query<{ clinic_id: string }>(
          'SELECT clinic_id FROM queue.patient_clinics WHERE patient_id = $1',
          [a.patientOne],
        ),
      );
      expect(links.rows).toEqual([{ clinic_id: a.clinicOne }]);
    });
  });
}
