import type { TenantId } from '@carequeue/core';
import { StaleVersionError } from '../errors.js';
import { decodeCursor, pageLimit, pageOf, type Page, type PageRequest } from '../pagination.js';
import { postgrest } from './request.js';
import { queueSchema, type SupabaseRepositoryOptions } from './options.js';

/**
 * How one versioned, tenant-scoped table maps to its model.
 *
 * @example
 * ```ts
 * const spec: TableSpec<StaffRow, Staff> = { table: 'staff', columns: STAFF_COLUMNS, resource: 'staff member', fromRow: staffFromRow, toRow: staffToRow };
 * ```
 */
export interface TableSpec<
  Row extends { id: string; tenant_id: string; version: number },
  T extends { readonly id: string },
> {
  readonly table: string;
  readonly columns: string;
  /** The resource named by {@link StaleVersionError}. */
  readonly resource: string;
  readonly fromRow: (row: Row) => T;
  readonly toRow: (value: T) => Row;
}

/**
 * The PostgREST operations shared by the versioned tables: insert, compare-and-swap update on
 * the version, read by id and keyset pages by id, all scoped to one tenant.
 *
 * @example
 * ```ts
 * const table = supabaseTable(options, spec);
 * const page = await table.page('staff.list', tenantId, {}, { limit: 50 });
 * ```
 */
export interface SupabaseTable<T extends { readonly id: string }> {
  insert(operation: string, value: T): Promise<void>;
  update(operation: string, value: T): Promise<void>;
  get(operation: string, tenantId: TenantId, id: string): Promise<T | undefined>;
  page(
    operation: string,
    tenantId: TenantId,
    equal: Readonly<Record<string, string>>,
    request: PageRequest,
  ): Promise<Page<T>>;
}

/**
 * A {@link SupabaseTable} for `spec` over the client of `options`.
 *
 * @example
 * ```ts
 * const staff = supabaseTable(options, { table: 'staff', columns: STAFF_COLUMNS, resource: 'staff member', fromRow: staffFromRow, toRow: staffToRow });
 * ```
 */
export function supabaseTable<
  Row extends { id: string; tenant_id: string; version: number },
  T extends { readonly id: string },
>(options: SupabaseRepositoryOptions, spec: TableSpec<Row, T>): SupabaseTable<T> {
  const db = queueSchema(options);
  return {
    async insert(operation, value) {
      await postgrest(operation, () => db.from(spec.table).insert(spec.toRow(value)));
    },
    async update(operation, value) {
      const row = spec.toRow(value);
      // Compare-and-swap on the version: zero rows back means it changed, or it is not visible.
      const changed = await postgrest(operation, () =>
        db
          .from(spec.table)
          .update(row)
          .eq('id', row.id)
          .eq('tenant_id', row.tenant_id)
          .eq('version', row.version - 1)
          .select('id'),
      );
      if (changed?.length !== 1) throw new StaleVersionError(spec.resource);
    },
    async get(operation, tenantId, id) {
      const rows = await postgrest(operation, () =>
        db
          .from(spec.table)
          .select(spec.columns)
          .eq('tenant_id', tenantId)
          .eq('id', id)
          .limit(1)
          .returns<Row[]>(),
      );
      const row = rows?.[0];
      return row === undefined ? undefined : spec.fromRow(row);
    },
    async page(operation, tenantId, equal, request) {
      const limit = pageLimit(request);
      const after = decodeCursor(request.cursor);
      let query = db.from(spec.table).select(spec.columns).eq('tenant_id', tenantId);
      for (const [column, value] of Object.entries(equal)) query = query.eq(column, value);
      if (after !== undefined) query = query.gt('id', after);
      const rows = await postgrest(operation, () =>
        query
          .order('id', { ascending: true })
          .limit(limit + 1)
          .returns<Row[]>(),
      );
      return pageOf((rows ?? []).map(spec.fromRow), limit);
    },
  };
}
