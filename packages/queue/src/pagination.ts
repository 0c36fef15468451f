import { InvalidCursorError } from './errors.js';

/**
 * Where a page starts and how long it is.
 *
 * @example
 * ```ts
 * const request: PageRequest = { limit: 50, cursor: previous.nextCursor };
 * ```
 */
export interface PageRequest {
  /**
   * Rows per page, from 1 to {@link MAX_PAGE_SIZE}.
   *
   * @default 50
   */
  readonly limit?: number;
  /** The `nextCursor` of the previous page; omitted for the first page. */
  readonly cursor?: string;
}

/**
 * One page of a list, ordered by id, with the cursor of the next page when there is one.
 *
 * @example
 * ```ts
 * const page: Page<Staff> = await staff.list(tenantId, { limit: 20 });
 * if (page.nextCursor) await staff.list(tenantId, { cursor: page.nextCursor });
 * ```
 */
export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor?: string;
}

/**
 * Rows per page when a request does not say.
 *
 * @example
 * ```ts
 * pageLimit({}); // DEFAULT_PAGE_SIZE
 * ```
 */
export const DEFAULT_PAGE_SIZE = 50;

/**
 * The largest page a list returns.
 *
 * @example
 * ```ts
 * pageLimit({ limit: 10_000 }); // MAX_PAGE_SIZE
 * ```
 */
export const MAX_PAGE_SIZE = 500;

/**
 * The page length to use for a request, clamped to 1..{@link MAX_PAGE_SIZE}.
 *
 * @default DEFAULT_PAGE_SIZE
 * @example
 * ```ts
 * pageLimit({ limit: 0 }); // 1
 * ```
 */
export function pageLimit(request: PageRequest): number {
  const limit = Math.trunc(request.limit ?? DEFAULT_PAGE_SIZE);
  return Math.min(MAX_PAGE_SIZE, Math.max(1, Number.isFinite(limit) ? limit : DEFAULT_PAGE_SIZE));
}

/**
 * Encodes the id of the last row of a page as an opaque cursor.
 *
 * @example
 * ```ts
 * const cursor = encodeCursor(lastRow.id);
 * ```
 */
export function encodeCursor(lastId: string): string {
  return Buffer.from(JSON.stringify({ after: lastId }), 'utf8').toString('base64url');
}

/**
 * The id after which the page starts, or `undefined` for the first page.
 *
 * @throws {@link InvalidCursorError} when the cursor was not made by {@link encodeCursor}.
 * @example
 * ```ts
 * decodeCursor(encodeCursor('0195f0a4-1111-7000-8000-000000000001'));
 * ```
 */
export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const after = (decoded as { after?: unknown } | null)?.after;
    if (typeof after === 'string' && /^[0-9a-f-]{36}$/.test(after)) return after;
  } catch (error: unknown) {
    throw new InvalidCursorError({ cause: error });
  }
  throw new InvalidCursorError();
}

/**
 * Pages rows already sorted by id the way the SQL repositories do: fetch one more than the limit
 * to learn whether a next page exists.
 *
 * @example
 * ```ts
 * const page = pageOf(rowsSortedById, 20);
 * ```
 */
export function pageOf<T extends { readonly id: string }>(
  rows: readonly T[],
  limit: number,
): Page<T> {
  if (rows.length <= limit) return { items: rows };
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return last === undefined ? { items } : { items, nextCursor: encodeCursor(last.id) };
}

/**
 * Pages an in-memory collection by id, for the memory repositories.
 *
 * @throws {@link InvalidCursorError} when the cursor is not valid.
 * @example
 * ```ts
 * const page = paginate([...rows.values()], { limit: 20 });
 * ```
 */
export function paginate<T extends { readonly id: string }>(
  rows: Iterable<T>,
  request: PageRequest,
): Page<T> {
  const after = decodeCursor(request.cursor);
  const limit = pageLimit(request);
  const sorted = [...rows]
    .filter((row) => after === undefined || row.id > after)
    .sort((left, right) => (left.id < right.id ? -1 : left.id > right.id ? 1 : 0));
  return pageOf(sorted.slice(0, limit + 1), limit);
}
