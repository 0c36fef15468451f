import { asServiceRole, SqlPermissionDeniedError, withClaims } from '@carequeue/core/sql';
import type { JwtClaims, SqlExecutor } from '@carequeue/core/sql';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  adminClaims,
  patientClaims,
  receptionistClaims,
  seedTwoTenants,
} from './tenant-fixture.js';
import { firstRowOf, insertRowAs, queryAsAnon } from './row-probes.js';
import type { SeededTenant } from './tenant-fixture.js';

interface TableCase {
  readonly table: string;
  readonly clinicColumn?: string;
  readonly patientColumn?: string;
  readonly perTenant: number;
  /** Rows of a tenant that its receptionist of clinic one sees. */
  readonly receptionist: number;
  /** Rows of a tenant that its first patient sees. */
  readonly patient: number;
  readonly updatable: boolean;
}

const TABLES: readonly TableCase[] = [
  { table: 'tenants', perTenant: 1, receptionist: 1, patient: 1, updatable: false },
  {
    table: 'clinics',
    clinicColumn: 'id',
    perTenant: 2,
    receptionist: 1,
    patient: 2,
    updatable: true,
  },
  {
    table: 'service_types',
    clinicColumn: 'clinic_id',
    perTenant: 2,
    receptionist: 1,
    patient: 2,
    updatable: true,
  },
  { table: 'staff', perTenant: 2, receptionist: 1, patient: 0, updatable: true },
  {
    table: 'schedules',
    clinicColumn: 'clinic_id',
    perTenant: 2,
    receptionist: 1,
    patient: 2,
    updatable: true,
  },
  {
    table: 'schedule_weekly_hours',
    clinicColumn: 'clinic_id',
    perTenant: 2,
    receptionist: 1,
    patient: 2,
    updatable: true,
  },
  {
    table: 'schedule_breaks',
    clinicColumn: 'clinic_id',
    perTenant: 2,
    receptionist: 1,
    patient: 2,
    updatable: true,
  },
  {
    table: 'schedule_date_overrides',
    clinicColumn: 'clinic_id',
    perTenant: 2,
    receptionist: 1,
    patient: 2,
    updatable: true,
  },
  {
    table: 'patients',
    patientColumn: 'id',
    perTenant: 2,
    receptionist: 1,
    patient: 1,
    updatable: true,
  },
  {
    table: 'patient_clinics',
    clinicColumn: 'clinic_id',
    patientColumn: 'patient_id',
    perTenant: 2,
    receptionist: 1,
    patient: 1,
    updatable: true,
  },
  {
    table: 'appointments',
    clinicColumn: 'clinic_id',
    patientColumn: 'patient_id',
    perTenant: 2,
    receptionist: 1,
    patient: 1,
    // Written only through the checked functions of migration 0010.
    updatable: false,
  },
  {
    table: 'waitlist_entries',
    clinicColumn: 'clinic_id',
    patientColumn: 'patient_id',
    perTenant: 2,
    receptionist: 1,
    patient: 1,
    // Written only through the checked functions of migration 0010.
    updatable: false,
  },
  { table: 'invitations', perTenant: 1, receptionist: 0, patient: 0, updatable: true },
];

type Row = Record<string, string>;

async function visibleRows(
  executor: SqlExecutor,
  claims: JwtClaims,
  table: string,
): Promise<Row[]> {
  return withClaims(executor, claims, async (tx) => {
    const { rows } = await tx.query<{ row: Row }>(
      `SELECT to_jsonb(t) AS row FROM queue.${table} t`,
    );
    return rows.map((r) => r.row);
  });
}

async function rowsUpdated(
  executor: SqlExecutor,
  claims: JwtClaims,
  table: string,
  tenantId: string,
): Promise<number> {
  const { rowCount } = await withClaims(executor, claims, (tx) =>
    tx.query(`UPDATE queue.${table} SET tenant_id = tenant_id WHERE tenant_id = $1`, [tenantId]),
  );
  return rowCount;
}

async function tenantRowCount(
  executor: SqlExecutor,
  table: string,
  tenantId: string,
): Promise<number> {
  return asServiceRole(executor, async (tx) => {
    const { rows } = await tx.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM queue.${table} WHERE tenant_id = $1`,
      [tenantId],
    );
    return rows[0]?.n ?? 0;
  });
}

/** Row-level security on every queue table, for one executor kind (Postgres or PGlite). */
export function rlsScenarios(executor: () => SqlExecutor): void {
  let a: SeededTenant;
  let b: SeededTenant;

  beforeAll(async () => {
    ({ a, b } = await seedTwoTenants(executor()));
  });

  describe.each(TABLES)('row-level security on queue.$table', (c) => {
    it('shows an admin every row of their tenant and none of another tenant when listing', async () => {
      const rows = await visibleRows(executor(), adminClaims(a), c.table);
      expect(rows).toHaveLength(c.perTenant);
      expect(rows.every((row) => row['tenant_id'] === a.tenantId)).toBe(true);
      expect(rows.some((row) => row['tenant_id'] === b.tenantId)).toBe(false);
      expect(await tenantRowCount(executor(), c.table, b.tenantId)).toBe(c.perTenant);
    });

    it('limits a receptionist to the rows of their clinic when listing', async () => {
      const rows = await visibleRows(executor(), receptionistClaims(a), c.table);
      expect(rows).toHaveLength(c.receptionist);
      expect(rows.every((row) => row['tenant_id'] === a.tenantId)).toBe(true);
      if (c.clinicColumn !== undefined) {
        const column = c.clinicColumn;
        expect(rows.every((row) => row[column] === a.clinicOne)).toBe(true);
      }
    });

    it('limits a patient to rows linked to their own patient id when listing', async () => {
      const rows = await visibleRows(executor(), patientClaims(a), c.table);
      expect(rows).toHaveLength(c.patient);
      expect(rows.every((row) => row['tenant_id'] === a.tenantId)).toBe(true);
      if (c.patientColumn !== undefined) {
        const column = c.patientColumn;
        expect(rows.every((row) => row[column] === a.patientOne)).toBe(true);
      }
    });

    it('refuses anon any row when it queries', async () => {
      await expect(
        queryAsAnon(executor(), `SELECT 1 FROM queue.${c.table}`),
      ).rejects.toBeInstanceOf(SqlPermissionDeniedError);
    });

    it('sees no rows when the claims carry no tenant', async () => {
      const rows = await visibleRows(
        executor(),
        { sub: a.adminUser, role: 'authenticated' },
        c.table,
      );
      expect(rows).toEqual([]);
    });

    it('rejects an insert of another tenant row when an admin writes it', async () => {
      const foreign = await firstRowOf(executor(), c.table, b.tenantId);
      expect(foreign).toBeDefined();
      await expect(
        insertRowAs(executor(), adminClaims(a), c.table, foreign),
      ).rejects.toBeInstanceOf(SqlPermissionDeniedError);
      expect(await tenantRowCount(executor(), c.table, b.tenantId)).toBe(c.perTenant);
    });

    it('updates own rows and none of another tenant when an admin updates', async () => {
      if (!c.updatable) {
        await expect(
          rowsUpdated(executor(), adminClaims(a), c.table, b.tenantId),
        ).rejects.toBeInstanceOf(SqlPermissionDeniedError);
        return;
      }
      expect(await rowsUpdated(executor(), adminClaims(a), c.table, b.tenantId)).toBe(0);
      expect(await rowsUpdated(executor(), adminClaims(a), c.table, a.tenantId)).toBe(c.perTenant);
    });

    it('rejects moving an own row into another tenant when an admin updates', async () => {
      if (!c.updatable) return;
      await expect(
        withClaims(executor(), adminClaims(a), (tx) =>
          tx.query(`UPDATE queue.${c.table} SET tenant_id = $1 WHERE tenant_id = $2`, [
            b.tenantId,
            a.tenantId,
          ]),
        ),
      ).rejects.toBeInstanceOf(SqlPermissionDeniedError);
    });
  });
}
