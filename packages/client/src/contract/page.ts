import { z } from 'zod';

/**
 * The paging parameters of every list: an opaque cursor from the previous page and a page size.
 *
 * @example
 * ```ts
 * PageQuery.parse({ limit: 50 });
 * ```
 */
export const PageQuery = z.object({
  /** The `nextCursor` of the previous page; absent for the first page. */
  cursor: z.string().min(1).max(512).optional(),
  /** Items per page, 1 to 200. @default 50 */
  limit: z.int().min(1).max(200).optional(),
});
/** A parsed {@link PageQuery}. */
export type PageQuery = z.output<typeof PageQuery>;

/**
 * The schema of one page of a list of `item`: the items and the cursor of the next page, `null`
 * on the last one.
 *
 * @example
 * ```ts
 * const ClinicPage = pageOf(Clinic);
 * ```
 */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}
