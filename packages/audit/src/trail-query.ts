import type { PurposeOfUse } from '@carequeue/core/context';
import type { AuditCategory, AuditLog, AuditOutcome } from './audit-event.js';
import { AuditCursorInvalidError } from './errors.js';

/**
 * Fields a trail can be sorted by. Ties are broken by event id.
 *
 * @example
 * ```ts
 * AUDIT_SORT_FIELDS.includes('userId'); // true
 * ```
 */
export const AUDIT_SORT_FIELDS = [
  'timestamp',
  'sequence',
  'userId',
  'category',
  'action',
  'outcome',
  'resourceType',
  'resourceId',
  'patientId',
  'purposeOfUse',
  'recipient',
  'disclosureBasis',
  'sessionId',
  'correlationId',
  'ipAddress',
  'retentionClass',
] as const;

/**
 * One of {@link AUDIT_SORT_FIELDS}.
 *
 * @example
 * ```ts
 * const sortBy: AuditSortField = 'timestamp';
 * ```
 */
export type AuditSortField = (typeof AUDIT_SORT_FIELDS)[number];

/**
 * The largest page a trail query returns.
 *
 * @example
 * ```ts
 * await store.query({ tenantId, limit: MAX_TRAIL_PAGE_SIZE });
 * ```
 */
export const MAX_TRAIL_PAGE_SIZE = 1_000;

/**
 * A trail query: one tenant, optional filters (all must match; `from`/`to` are inclusive),
 * a sort and a cursor.
 *
 * @example
 * ```ts
 * const page = await store.query({ tenantId, patientId, sortBy: 'timestamp', order: 'desc', limit: 50 });
 * ```
 */
export interface AuditTrailQuery {
  readonly tenantId: string;
  readonly patientId?: string;
  readonly userId?: string;
  readonly category?: AuditCategory;
  readonly action?: string;
  readonly outcome?: AuditOutcome;
  readonly resourceType?: string;
  readonly resourceId?: string;
  readonly purposeOfUse?: PurposeOfUse;
  readonly correlationId?: string;
  readonly from?: Date;
  readonly to?: Date;
  /** @default 'timestamp' */
  readonly sortBy?: AuditSortField;
  /** @default 'asc' */
  readonly order?: 'asc' | 'desc';
  /** @default 100 */
  readonly limit?: number;
  readonly cursor?: string | null;
}

/**
 * One page of a trail. `nextCursor` is null on the last page.
 *
 * @example
 * ```ts
 * let page = await store.query({ tenantId });
 * while (page.nextCursor) page = await store.query({ tenantId, cursor: page.nextCursor });
 * ```
 */
export interface AuditTrailPage {
  readonly items: readonly AuditLog[];
  readonly nextCursor: string | null;
}

/**
 * The position after which a page continues: the sort key of the last item and its id.
 *
 * @example
 * ```ts
 * const after = decodeCursor(page.nextCursor, 'timestamp', 'asc');
 * ```
 */
export interface TrailCursor {
  readonly key: string | number;
  readonly id: string;
}

/**
 * A query with every default applied, as stores use it.
 *
 * @example
 * ```ts
 * const resolved = resolveTrailQuery({ tenantId });
 * resolved.limit; // 100
 * ```
 */
export interface ResolvedTrailQuery extends AuditTrailQuery {
  readonly sortBy: AuditSortField;
  readonly order: 'asc' | 'desc';
  readonly limit: number;
  readonly after: TrailCursor | undefined;
}

/**
 * Unsealed events sort after every sealed one when sorting by sequence.
 *
 * @example
 * ```ts
 * sortKeyOf({ ...log, sequence: null }, 'sequence') === UNSEALED_SEQUENCE_KEY; // true
 * ```
 */
export const UNSEALED_SEQUENCE_KEY = Number.MAX_SAFE_INTEGER;

/**
 * The value a log is ordered by for a sort field: milliseconds for timestamps, the sequence
 * (unsealed last) for sequence, and the text (empty when absent) for every other field.
 *
 * @example
 * ```ts
 * sortKeyOf(log, 'timestamp'); // 1767225600000
 * ```
 */
export function sortKeyOf(log: AuditLog, field: AuditSortField): string | number {
  if (field === 'timestamp') return log.timestamp.getTime();
  if (field === 'sequence') return log.sequence ?? UNSEALED_SEQUENCE_KEY;
  return log[field] ?? '';
}

/**
 * Encodes the position after `log` for a sort.
 *
 * @example
 * ```ts
 * const cursor = encodeCursor(lastItem, 'timestamp', 'asc');
 * ```
 */
export function encodeCursor(log: AuditLog, field: AuditSortField, order: 'asc' | 'desc'): string {
  return Buffer.from(
    JSON.stringify([field, order, sortKeyOf(log, field), log.id]),
    'utf8',
  ).toString('base64url');
}

/**
 * Decodes a cursor made by {@link encodeCursor} for the same sort.
 *
 * @throws {AuditCursorInvalidError} when the cursor is malformed or was made for another sort
 * @example
 * ```ts
 * const after = decodeCursor(cursor, 'timestamp', 'asc');
 * ```
 */
export function decodeCursor(
  cursor: string,
  field: AuditSortField,
  order: 'asc' | 'desc',
): TrailCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (error: unknown) {
    throw new AuditCursorInvalidError({ cause: error });
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 4 ||
    parsed[0] !== field ||
    parsed[1] !== order ||
    (typeof parsed[2] !== 'string' && typeof parsed[2] !== 'number') ||
    typeof parsed[3] !== 'string'
  ) {
    throw new AuditCursorInvalidError();
  }
  return { key: parsed[2], id: parsed[3] };
}

/**
 * Applies the defaults of a trail query and decodes its cursor.
 *
 * @throws {AuditCursorInvalidError} when the cursor is invalid
 * @example
 * ```ts
 * const resolved = resolveTrailQuery({ tenantId, limit: 5000 });
 * resolved.limit; // 1000
 * ```
 */
export function resolveTrailQuery(query: AuditTrailQuery): ResolvedTrailQuery {
  const sortBy = query.sortBy ?? 'timestamp';
  const order = query.order ?? 'asc';
  const limit = Math.min(Math.max(1, Math.floor(query.limit ?? 100)), MAX_TRAIL_PAGE_SIZE);
  const after = query.cursor ? decodeCursor(query.cursor, sortBy, order) : undefined;
  return { ...query, sortBy, order, limit, after };
}

/**
 * Whether a log passes every filter of a query (tenant included).
 *
 * @example
 * ```ts
 * logs.filter((log) => matchesTrailQuery(log, query));
 * ```
 */
export function matchesTrailQuery(log: AuditLog, query: AuditTrailQuery): boolean {
  const exact = [
    'tenantId',
    'patientId',
    'userId',
    'category',
    'action',
    'outcome',
    'resourceType',
    'resourceId',
    'purposeOfUse',
    'correlationId',
  ] as const;
  for (const field of exact) {
    const wanted = query[field];
    if (wanted !== undefined && log[field] !== wanted) return false;
  }
  const time = log.timestamp.getTime();
  if (query.from && time < query.from.getTime()) return false;
  if (query.to && time > query.to.getTime()) return false;
  return true;
}

/**
 * Orders two logs by a sort field, then by id.
 *
 * @example
 * ```ts
 * logs.sort((a, b) => compareLogs(a, b, 'userId', 'desc'));
 * ```
 */
export function compareLogs(
  a: AuditLog,
  b: AuditLog,
  field: AuditSortField,
  order: 'asc' | 'desc',
): number {
  const direction = order === 'asc' ? 1 : -1;
  return direction * compareKeyThenId(sortKeyOf(a, field), a.id, sortKeyOf(b, field), b.id);
}

/**
 * Orders two (key, id) positions ascending.
 *
 * @example
 * ```ts
 * compareKeyThenId('a', 'id-2', 'a', 'id-1'); // 1
 * ```
 */
export function compareKeyThenId(
  keyA: string | number,
  idA: string,
  keyB: string | number,
  idB: string,
): number {
  if (keyA < keyB) return -1;
  if (keyA > keyB) return 1;
  if (idA < idB) return -1;
  if (idA > idB) return 1;
  return 0;
}
