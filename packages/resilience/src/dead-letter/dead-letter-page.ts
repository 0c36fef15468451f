import { InvalidDeadLetterCursorError, ResilienceConfigError } from '../errors.js';
import type { DeadLetter, DeadLetterListQuery } from './dead-letter.js';

/**
 * Where a page of dead letters ends, in the list order (first failure, tenant, id).
 *
 * @example
 * ```ts
 * const position: DeadLetterPosition = { firstFailedAt: 1_767_225_600_000, tenantId, id: 'sms-1' };
 * ```
 */
export interface DeadLetterPosition {
  readonly firstFailedAt: number;
  readonly tenantId: string;
  readonly id: string;
}

const MAX_PAGE_SIZE = 500;
const DEFAULT_PAGE_SIZE = 50;

/**
 * The page size of a list query.
 *
 * @default 50
 * @throws {@link ResilienceConfigError} when the limit is not an integer from 1 to 500.
 * @example
 * ```ts
 * deadLetterPageSize({ limit: 20 }); // 20
 * ```
 */
export function deadLetterPageSize(query: DeadLetterListQuery): number {
  const limit = query.limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new ResilienceConfigError(`limit must be an integer from 1 to ${MAX_PAGE_SIZE}.`);
  }
  return limit;
}

/**
 * The opaque cursor that continues a list after `letter`.
 *
 * @example
 * ```ts
 * const nextCursor = encodeDeadLetterCursor(letters[letters.length - 1]);
 * ```
 */
export function encodeDeadLetterCursor(letter: DeadLetter): string {
  return Buffer.from(JSON.stringify([letter.firstFailedAt, letter.tenantId, letter.id])).toString(
    'base64url',
  );
}

/**
 * The position a cursor of {@link encodeDeadLetterCursor} stands for.
 *
 * @throws {@link InvalidDeadLetterCursorError} when the cursor was not issued by this package.
 * @example
 * ```ts
 * const after = query.cursor === undefined ? undefined : decodeDeadLetterCursor(query.cursor);
 * ```
 */
export function decodeDeadLetterCursor(cursor: string): DeadLetterPosition {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (error: unknown) {
    throw new InvalidDeadLetterCursorError({ cause: error });
  }
  if (
    !Array.isArray(decoded) ||
    decoded.length !== 3 ||
    !Number.isSafeInteger(decoded[0]) ||
    typeof decoded[1] !== 'string' ||
    typeof decoded[2] !== 'string'
  ) {
    throw new InvalidDeadLetterCursorError();
  }
  const [firstFailedAt, tenantId, id] = decoded as [number, string, string];
  return { firstFailedAt, tenantId, id };
}
