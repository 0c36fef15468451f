/**
 * The cursor check the services run before they open a unit of work.
 *
 * @internal
 * @packageDocumentation
 */
import { decodeCursor, type PageRequest } from '../pagination.js';

/**
 * Checks that the cursor of `page` can be read, so a list refuses a bad cursor before any port
 * is called: the repositories read it only inside the unit of work, after the SQL adapters
 * opened a transaction for it.
 *
 * @throws `InvalidCursorError` when the cursor was not made by `encodeCursor`.
 * @example
 * ```ts
 * checkPageCursor(page);
 * return unitOfWork.run(actor, (scope) => scope.clinics.list(actor.tenantId, page));
 * ```
 */
export function checkPageCursor(page: PageRequest): void {
  decodeCursor(page.cursor);
}
