import { uuidv7 } from '@carequeue/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidCursorError } from './errors.js';
import {
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  decodeCursor,
  encodeCursor,
  pageLimit,
  paginate,
} from './pagination.js';

describe('paginate', () => {
  it('visits every row exactly once in id order when following cursors', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.uuid(), { maxLength: 60 }),
        fc.integer({ min: 1, max: 25 }),
        (ids, limit) => {
          const rows = ids.map((id) => ({ id }));
          const seen: string[] = [];
          let cursor: string | undefined;
          do {
            const page = paginate(rows, { limit, cursor });
            expect(page.items.length).toBeLessThanOrEqual(limit);
            seen.push(...page.items.map((row) => row.id));
            cursor = page.nextCursor;
          } while (cursor !== undefined);
          expect(seen).toEqual([...ids].sort());
        },
      ),
    );
  });
});

describe('pageLimit', () => {
  it('clamps the limit to the allowed range when it is out of bounds', () => {
    expect(pageLimit({})).toBe(DEFAULT_PAGE_SIZE);
    expect(pageLimit({ limit: 0 })).toBe(1);
    expect(pageLimit({ limit: 10_000 })).toBe(MAX_PAGE_SIZE);
    expect(pageLimit({ limit: Number.NaN })).toBe(DEFAULT_PAGE_SIZE);
  });
});

describe('decodeCursor', () => {
  it('returns the id a cursor was made from when it round-trips', () => {
    const id = uuidv7();
    expect(decodeCursor(encodeCursor(id))).toBe(id);
    expect(decodeCursor(undefined)).toBeUndefined();
  });

  it('throws InvalidCursorError when the cursor is not one of ours', () => {
    expect(() => decodeCursor('%%%')).toThrow(InvalidCursorError);
    expect(() => decodeCursor(Buffer.from('{"after":1}').toString('base64url'))).toThrow(
      InvalidCursorError,
    );
    expect(() => decodeCursor(Buffer.from('null').toString('base64url'))).toThrow(
      InvalidCursorError,
    );
  });
});
