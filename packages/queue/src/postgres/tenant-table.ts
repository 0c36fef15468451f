import type { TenantId } from '@carequeue/core';
import type { SqlExecutor } from '@carequeue/core/sql';
import { StaleVersionError } from '../errors.js';
import { decodeCursor, pageLimit, pageOf, type Page, type PageRequest } from '../pagination.js';

/** The columns every row of a versioned tenant table has. */
export interface TenantTableRow {
  id: string;
  tenant_id: string;
  version: number;
}

/**
 * How the records of a repository map onto a versioned table of tenant rows in the `queue`
 * schema: a uuid `id`, a `tenant_id` and a `version` for optimistic concurrency. The same mapping
 * serves the SQL adapter ({@link sqlTenantTable}) and the Supabase one (`supabaseTable`), so the
 * two cannot map a record differently.
 *
 * @example
 * ```ts
 * const clinicTable: TenantTableMapping<ClinicRow, StoredClinic> = {
 *   table: 'clinics',
 *   columns: CLINIC_COLUMNS,
 *   resource: 'clinic',
 *   fromRow: clinicFromRow,
 *   toRow: clinicToRow,
 *   jsonColumns: ['address', 'settings', 'opening_hours'],
 * };
 * ```
 */
export interface TenantTableMapping<Row extends TenantTableRow, T extends { readonly id: string }> {
  /** The table in the `queue` schema: `clinics`. */
  readonly table: string;
  /** Every column, comma-separated, in the order they are written: `id` and `tenant_id` first, `version` last. */
  readonly columns: `id,tenant_id,${string},version`;
  /** What a {@link StaleVersionError} calls the record: `clinic`. */
  readonly resource: string;
  /** The record a row read back stands for (timestamps come back as `Date` from SQL drivers). */
  readonly fromRow: (row: Row) => T;
  /** The row of `record`. */
  readonly toRow: (record: T) => Row;
  /** The `jsonb` columns, which the SQL drivers are given as JSON text. */
  readonly jsonColumns?: readonly (keyof Row & string)[];
  /** How a column is read in SQL where it is not read as is (`clinic_ids` as `clinic_ids::text[]`). */
  readonly readAs?: Readonly<Partial<Record<keyof Row & string, string>>>;
}

/**
 * The statements every SQL repository of tenant rows shares, over one executor.
 *
 * @example
 * ```ts
 * const clinics = sqlTenantTable(clinicTable)(executor);
 * await clinics.update(next); // StaleVersionError('clinic') unless `next` is the next version
 * ```
 */
export interface SqlTenantTable<T> {
  /** Inserts `record` (a duplicate id is core's `UniqueViolationError`). */
  readonly insert: (record: T) => Promise<void>;
  /** Writes `record` over its previous version; a {@link StaleVersionError} when that is not the stored one. */
  readonly update: (record: T) => Promise<void>;
  /** The record `id` of `tenantId`, if any (and if row-level security lets the caller see it). */
  readonly get: (tenantId: TenantId, id: string) => Promise<T | undefined>;
  /** The first record `where` selects, with `$1`… bound to `params`. */
  readonly findOne: (where: string, params: readonly unknown[]) => Promise<T | undefined>;
  /**
   * A page of the records `where` selects (`$1`… bound to `params`), in id order after the
   * request's cursor; an unreadable cursor is an `InvalidCursorError`.
   */
  readonly page: (
    where: string,
    params: readonly unknown[],
    request: PageRequest,
  ) => Promise<Page<T>>;
}

/**
 * The {@link SqlTenantTable} of `mapping`: its statements are built once, and the returned function
 * binds them to an executor (a pool, or a transaction under the caller's claims).
 *
 * @example
 * ```ts
 * const onClinics = sqlTenantTable(clinicTable);
 * const page = await onClinics(tx).page('tenant_id = $1', [tenantId], { limit: 50 });
 * ```
 */
export function sqlTenantTable<Row extends TenantTableRow, T extends { readonly id: string }>(
  mapping: TenantTableMapping<Row, T>,
): (executor: SqlExecutor) => SqlTenantTable<T> {
  const { resource, fromRow, toRow } = mapping;
  const table = `queue.${mapping.table}`;
  const columns = mapping.columns.split(',') as (keyof Row & string)[];
  const jsonColumns = new Set<string>(mapping.jsonColumns ?? []);
  const valuesOf = (record: T): unknown[] => {
    const row = toRow(record);
    return columns.map((column) => {
      const value = row[column];
      return jsonColumns.has(column) && value !== null ? JSON.stringify(value) : value;
    });
  };
  const place = (index: number): string => `$${index + 1}`;
  const readList = columns
    .map((column) => {
      const expression = mapping.readAs?.[column];
      return expression === undefined ? column : `${expression} AS ${column}`;
    })
    .join(', ');
  const select = `SELECT ${readList} FROM ${table}`;
  const insert = `INSERT INTO ${table} (${columns.join(', ')})
    VALUES (${columns.map((_, index) => place(index)).join(', ')})`;
  const version = place(columns.length - 1);
  const update = `UPDATE ${table} SET ${columns
    .slice(2)
    .map((column, index) => `${column} = ${place(index + 2)}`)
    .join(', ')}
    WHERE id = $1 AND tenant_id = $2 AND version = ${version} - 1`;

  return (executor) => {
    const findOne = async (where: string, params: readonly unknown[]): Promise<T | undefined> => {
      const { rows } = await executor.query<Row>(`${select} WHERE ${where}`, [...params]);
      return rows[0] === undefined ? undefined : fromRow(rows[0]);
    };
    return {
      async insert(record) {
        await executor.query(insert, valuesOf(record));
      },
      async update(record) {
        const { rowCount } = await executor.query(update, valuesOf(record));
        if (rowCount !== 1) throw new StaleVersionError(resource);
      },
      get: (tenantId, id) => findOne('tenant_id = $1 AND id = $2', [tenantId, id]),
      findOne,
      async page(where, params, request) {
        const limit = pageLimit(request);
        const after = decodeCursor(request.cursor);
        const cursor = place(params.length);
        const { rows } = await executor.query<Row>(
          `${select} WHERE ${where} AND (${cursor}::uuid IS NULL OR id > ${cursor}::uuid)
           ORDER BY id LIMIT ${place(params.length + 1)}`,
          [...params, after ?? null, limit + 1],
        );
        return pageOf(rows.map(fromRow), limit);
      },
    };
  };
}
