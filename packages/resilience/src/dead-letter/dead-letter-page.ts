import { TenantId, ValidationError } from '@carequeue/core';
import { InvalidDeadLetterCursorError } from '../errors.js';
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

/** The latest first-failure time a cursor may carry: the last instant a `Date` can hold. */
const LATEST_INSTANT = 8.64e15;

/** The longest letter id (the Postgres store's check constraint). */
const MAX_ID_LENGTH = 200;

/**
 * The page size of a list query.
 *
 * @default 50
 * @throws `ValidationError` (path `query.limit`) when the limit is not an integer from 1 to 500.
 * @example
 * ```ts
 * deadLetterPageSize({ limit: 20 }); // 20
 * ```
 */
export function deadLetterPageSize(query: DeadLetterListQuery): number {
  const limit = query.limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new ValidationError(
      'The dead-letter query is invalid. Fix the fields listed in issues.',
      [{ path: 'query.limit', message: `must be an integer from 1 to ${MAX_PAGE_SIZE}` }],
    );
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
 * @throws {@link InvalidDeadLetterCursorError} when the cursor is not a string issued by this
 * package (a position with a time from 0 to 8.64e15, a UUID tenant and an id of 1 to 200
 * characters).
 * @example
 * ```ts
 * const after = query.cursor === undefined ? undefined : decodeDeadLetterCursor(query.cursor);
 * ```
 */
export function decodeDeadLetterCursor(cursor: string): DeadLetterPosition {
  if (typeof cursor !== 'string') throw new InvalidDeadLetterCursorError();
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
    decoded[0] < 0 ||
    decoded[0] > LATEST_INSTANT ||
    !TenantId.safeParse(decoded[1]).success ||
    typeof decoded[2] !== 'string' ||
    decoded[2].length < 1 ||
    decoded[2].length > MAX_ID_LENGTH ||
    decoded[2].includes('\u0000')
  ) {
    throw new InvalidDeadLetterCursorError();
  }
  const [firstFailedAt, tenantId, id] = decoded as [number, string, string];
  return { firstFailedAt, tenantId, id };
}
