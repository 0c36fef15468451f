import { requireArgument } from './argument-checks.js';
import { ApiError } from './errors.js';

/**
 * One page of a cursor-paginated list, as every `/api/v1` list answers.
 *
 * @example
 * ```ts
 * const last: Page<string> = { items: ['cln_1'], nextCursor: null };
 * ```
 */
export interface Page<T> {
  readonly items: readonly T[];
  /** The cursor of the next page; `null` or absent on the last page. */
  readonly nextCursor?: string | null;
}

function isPage(value: unknown): value is Page<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const { items, nextCursor } = value as { items?: unknown; nextCursor?: unknown };
  return (
    Array.isArray(items) &&
    (nextCursor === undefined || nextCursor === null || typeof nextCursor === 'string')
  );
}

/**
 * Iterates every item of a cursor-paginated list with `for await`, fetching a page only when
 * the previous one is used up. Stop early with `break`: no further page is fetched.
 *
 * @param fetchPage - fetches the page at a cursor (`undefined` for the first page).
 * @returns an async iterator over the items of all pages.
 * @throws ApiError (`PAGINATION_LOOP`) when the server answers a cursor it already gave, which
 *   would otherwise loop forever.
 * @example
 * ```ts
 * for await (const clinic of paginate((cursor) =>
 *   transport.request<Page<Clinic>>({ method: 'GET', path: '/api/v1/clinics', query: { cursor } })
 *     .then((r) => r.body),
 * )) {
 *   console.info(clinic.id);
 * }
 * ```
 */
export async function* paginate<T>(
  fetchPage: (cursor: string | undefined) => Promise<Page<T>>,
): AsyncGenerator<T, void, undefined> {
  requireArgument(typeof fetchPage === 'function', 'fetchPage', 'must be a function');
  const seen = new Set<string>();
  let cursor: string | undefined;
  do {
    const page: unknown = await fetchPage(cursor);
    if (!isPage(page)) {
      throw new ApiError({
        code: 'INVALID_RESPONSE',
        status: 502,
        message: 'A page of the list is not { items, nextCursor }.',
      });
    }
    yield* page.items as readonly T[];
    cursor = page.nextCursor ?? undefined;
    if (cursor !== undefined) {
      if (seen.has(cursor)) {
        throw new ApiError({
          code: 'PAGINATION_LOOP',
          status: 502,
          message: 'The CareQueue API answered a page cursor it had already given.',
        });
      }
      seen.add(cursor);
    }
  } while (cursor !== undefined);
}
