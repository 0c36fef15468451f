import type { TenantId } from '@carequeue/core';
import { StaleVersionError } from '../errors.js';
import { paginate, type Page, type PageRequest } from '../pagination.js';

/**
 * A row of a memory repository: owned by a tenant, versioned for optimistic concurrency.
 *
 * @example
 * ```ts
 * const row: TenantRow = { id: clinic.id, tenantId: clinic.tenantId, version: 1 };
 * ```
 */
export interface TenantRow {
  readonly id: string;
  readonly tenantId: TenantId;
  readonly version: number;
}

/**
 * The reads and the versioned update every memory repository shares, over its own `rows`. Rows
 * go in and come out as copies, so a caller never holds the stored value.
 *
 * @example
 * ```ts
 * const rows = new Map<string, StoredClinic>();
 * const tenantRows = memoryTenantRows(rows, 'clinic');
 * await tenantRows.update(clinic); // StaleVersionError('clinic') unless it is the next version
 * ```
 */
export interface MemoryTenantRows<T extends TenantRow> {
  /** The rows of `tenantId`, in insertion order. */
  readonly ofTenant: (tenantId: TenantId) => T[];
  /** Replaces a row of the same tenant whose version is one less; else a {@link StaleVersionError}. */
  readonly update: (row: T) => Promise<void>;
  /** A copy of the row `id` when it belongs to `tenantId`. */
  readonly get: (tenantId: TenantId, id: string) => Promise<T | undefined>;
  /** A page of copies of `candidates`; an unreadable cursor rejects instead of throwing. */
  readonly page: (candidates: () => T[], request: PageRequest) => Promise<Page<T>>;
}

/**
 * The {@link MemoryTenantRows} over `rows`; `noun` names the row in a {@link StaleVersionError}.
 *
 * @example
 * ```ts
 * const rows = new Map<string, Staff>();
 * const { get, update } = memoryTenantRows(rows, 'staff member');
 * ```
 */
export function memoryTenantRows<T extends TenantRow>(
  rows: Map<string, T>,
  noun: string,
): MemoryTenantRows<T> {
  return {
    ofTenant: (tenantId) => [...rows.values()].filter((row) => row.tenantId === tenantId),
    update: (row) => {
      const current = rows.get(row.id);
      if (current?.tenantId !== row.tenantId || current.version !== row.version - 1) {
        return Promise.reject(new StaleVersionError(noun));
      }
      rows.set(row.id, structuredClone(row));
      return Promise.resolve();
    },
    get: (tenantId, id) => {
      const row = rows.get(id);
      return Promise.resolve(row?.tenantId === tenantId ? structuredClone(row) : undefined);
    },
    page: (candidates, request) =>
      // Deferred so that an unreadable cursor rejects instead of throwing synchronously.
      Promise.resolve().then(() => {
        const result = paginate(candidates(), request);
        return { ...result, items: result.items.map((row) => structuredClone(row)) };
      }),
  };
}
