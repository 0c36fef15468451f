import type { PurposeOfUse } from '@carequeue/core/context';
import type { AuditCategory, AuditLog, AuditOutcome } from './audit-event.js';
import { ValidationError, type ErrorIssue } from '@carequeue/core';
import {
  checkArguments,
  isRecord,
  oneOfIssues,
  textIssues,
  uuidIssues,
} from './argument-checks.js';
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

// The fields sorting and matching read, checked cheaply: these helpers run once per comparison.
function sortableLogIssues(log: unknown, path: string): ErrorIssue[] {
  if (
    isRecord(log) &&
    typeof log['id'] === 'string' &&
    log['timestamp'] instanceof Date &&
    !Number.isNaN(log['timestamp'].getTime())
  ) {
    return [];
  }
  return [{ path, message: 'must be an audit log with an id and a valid timestamp' }];
}

const ORDERS = ['asc', 'desc'] as const;
// A cursor holds a sort key (at most a filter-sized text) and an id, base64url-encoded.
const MAX_CURSOR_LENGTH = 8 * 4_096;

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
  checkArguments(
    'sortKeyOf',
    sortableLogIssues(log, 'log'),
    oneOfIssues(field, 'field', AUDIT_SORT_FIELDS),
  );
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
  checkArguments('encodeCursor', oneOfIssues(order, 'order', ORDERS));
  return Buffer.from(
    JSON.stringify([field, order, sortKeyOf(log, field), log.id]),
    'utf8',
  ).toString('base64url');
}

/**
 * The earliest instant a trail query may name: the Unix epoch. Audit events are never older,
 * and refusing earlier dates keeps every store from sending the database a date it rejects.
 *
 * @example
 * ```ts
 * new Date(MIN_TRAIL_DATE_MS).toISOString(); // '1970-01-01T00:00:00.000Z'
 * ```
 */
export const MIN_TRAIL_DATE_MS = 0;

/**
 * The latest instant a trail query may name: the last millisecond of year 9999, the largest
 * date an ISO 8601 timestamp (and so every store) can hold with a four-digit year.
 *
 * @example
 * ```ts
 * new Date(MAX_TRAIL_DATE_MS).toISOString(); // '9999-12-31T23:59:59.999Z'
 * ```
 */
export const MAX_TRAIL_DATE_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isTrailDateMs(value: number): boolean {
  return Number.isInteger(value) && value >= MIN_TRAIL_DATE_MS && value <= MAX_TRAIL_DATE_MS;
}

// A cursor comes back from the client, so its key is checked against the type the sort uses:
// a forged key would otherwise reach the database cast and surface as a store failure.
function isKeyOfSort(key: unknown, field: AuditSortField): key is string | number {
  if (field === 'timestamp') return typeof key === 'number' && isTrailDateMs(key);
  if (field === 'sequence') return typeof key === 'number' && Number.isSafeInteger(key) && key >= 0;
  return typeof key === 'string';
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
  checkArguments(
    'decodeCursor',
    textIssues(cursor, 'cursor', { max: MAX_CURSOR_LENGTH }),
    oneOfIssues(field, 'field', AUDIT_SORT_FIELDS),
    oneOfIssues(order, 'order', ORDERS),
  );
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
    !isKeyOfSort(parsed[2], field) ||
    typeof parsed[3] !== 'string' ||
    !UUID_PATTERN.test(parsed[3])
  ) {
    throw new AuditCursorInvalidError();
  }
  return { key: parsed[2], id: parsed[3] };
}

const TRAIL_FILTER_FIELDS = [
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

// The fields a memory store compares exactly: the tenant, then every filter of a trail query.
const EXACT_MATCH_FIELDS = ['tenantId', ...TRAIL_FILTER_FIELDS] as const;

const DEFAULT_TRAIL_PAGE_SIZE = 100;

function dateIssue(query: AuditTrailQuery, field: 'from' | 'to'): ErrorIssue | undefined {
  const value: unknown = query[field];
  if (value === undefined) return undefined;
  if (!(value instanceof Date) || !isTrailDateMs(value.getTime())) {
    return {
      path: field,
      message:
        'must be a valid Date from 1970-01-01T00:00:00.000Z to 9999-12-31T23:59:59.999Z, or omitted',
    };
  }
  return undefined;
}

function trailQueryIssues(query: AuditTrailQuery): ErrorIssue[] {
  // The tenant column is a uuid and text columns cannot hold a NUL: Postgres refused such values
  // with an error the SQL stores reported as a 503, while the memory store answered nothing.
  const issues: ErrorIssue[] = [...uuidIssues(query.tenantId, 'tenantId')];
  for (const field of TRAIL_FILTER_FIELDS) {
    issues.push(...textIssues(query[field], field, { optional: true }));
  }
  if (query.sortBy !== undefined && !AUDIT_SORT_FIELDS.includes(query.sortBy)) {
    issues.push({ path: 'sortBy', message: `must be one of ${AUDIT_SORT_FIELDS.join(', ')}` });
  }
  if (query.order !== undefined && query.order !== 'asc' && query.order !== 'desc') {
    issues.push({ path: 'order', message: 'must be asc or desc' });
  }
  if (
    query.limit !== undefined &&
    !(Number.isInteger(query.limit) && query.limit >= 1 && query.limit <= MAX_TRAIL_PAGE_SIZE)
  ) {
    issues.push({
      path: 'limit',
      message: `must be an integer from 1 to ${MAX_TRAIL_PAGE_SIZE}, or omitted for ${DEFAULT_TRAIL_PAGE_SIZE}`,
    });
  }
  const from = dateIssue(query, 'from');
  const to = dateIssue(query, 'to');
  if (from) issues.push(from);
  if (to) issues.push(to);
  if (!from && !to && query.from && query.to && query.from.getTime() > query.to.getTime()) {
    issues.push({ path: 'from', message: 'must not be after to' });
  }
  const cursor: unknown = query.cursor;
  if (
    cursor !== undefined &&
    cursor !== null &&
    (typeof cursor !== 'string' || cursor.length > MAX_CURSOR_LENGTH)
  ) {
    issues.push({ path: 'cursor', message: 'must be the nextCursor string of a page, or null' });
  }
  return issues;
}

/**
 * Checks a trail query, applies its defaults and decodes its cursor. Every store calls it first,
 * so every store refuses the same input the same way, before anything reaches a database.
 *
 * @throws {ValidationError} when the query is not an object, or a field is outside what
 * {@link AuditTrailQuery} allows (unknown `sortBy` or `order`, a `limit` that is not an integer
 * from 1 to {@link MAX_TRAIL_PAGE_SIZE}, a `from`/`to` that is not a Date from 1970 to 9999,
 * `from` after `to`); the issues name the fields, never their values
 * @throws {AuditCursorInvalidError} when the cursor is invalid
 * @example
 * ```ts
 * const resolved = resolveTrailQuery({ tenantId, limit: 50 });
 * resolved.sortBy; // 'timestamp'
 * ```
 */
export function resolveTrailQuery(query: AuditTrailQuery): ResolvedTrailQuery {
  // The type says object, but stores are called from JavaScript and from parsed requests too.
  if (typeof query !== 'object' || (query as unknown) === null || Array.isArray(query)) {
    throw new ValidationError(
      'The audit trail query is invalid: it must be an object with at least tenantId. Pass an AuditTrailQuery.',
      [{ path: '', message: 'must be an object' }],
    );
  }
  const issues = trailQueryIssues(query);
  if (issues.length > 0) {
    throw new ValidationError(
      `The audit trail query is invalid (${issues.map((issue) => issue.path).join(', ')}). Fix the listed fields; see issues for the allowed values.`,
      issues,
    );
  }
  const sortBy = query.sortBy ?? 'timestamp';
  const order = query.order ?? 'asc';
  const limit = query.limit ?? DEFAULT_TRAIL_PAGE_SIZE;
  const after = query.cursor ? decodeCursor(query.cursor, sortBy, order) : undefined;
  // Postgres compares uuids whatever their case and returns them in lower case.
  return { ...query, tenantId: query.tenantId.toLowerCase(), sortBy, order, limit, after };
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
  checkArguments(
    'matchesTrailQuery',
    sortableLogIssues(log, 'log'),
    isRecord(query) ? [] : [{ path: 'query', message: 'must be an audit trail query object' }],
  );
  for (const field of EXACT_MATCH_FIELDS) {
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
  checkArguments(
    'compareLogs',
    sortableLogIssues(a, 'a'),
    sortableLogIssues(b, 'b'),
    oneOfIssues(field, 'field', AUDIT_SORT_FIELDS),
    oneOfIssues(order, 'order', ORDERS),
  );
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
  const key = (value: unknown, path: string): ErrorIssue[] =>
    typeof value === 'string' || (typeof value === 'number' && !Number.isNaN(value))
      ? []
      : [{ path, message: 'must be a string or a number' }];
  checkArguments(
    'compareKeyThenId',
    key(keyA, 'keyA'),
    textIssues(idA, 'idA'),
    key(keyB, 'keyB'),
    textIssues(idB, 'idB'),
  );
  if (keyA < keyB) return -1;
  if (keyA > keyB) return 1;
  if (idA < idB) return -1;
  if (idA > idB) return 1;
  return 0;
}
