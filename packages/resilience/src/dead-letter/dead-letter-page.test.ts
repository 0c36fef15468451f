import { describe, expect, it } from 'vitest';
import { ValidationError } from '@carequeue/core';
import { InvalidDeadLetterCursorError } from '../errors.js';
import {
  deadLetterPageSize,
  decodeDeadLetterCursor,
  encodeDeadLetterCursor,
} from './dead-letter-page.js';

const TENANT = '0b9c2d3e-1f2a-4b5c-8d9e-0f1a2b3c4d5e';

describe('deadLetterPage', () => {
  it('decodes the position it encoded when a cursor is round-tripped', () => {
    const cursor = encodeDeadLetterCursor({
      id: 'sms-1',
      tenantId: TENANT,
      kind: 'sms.reminder',
      payload: '{}',
      errorCode: 'TIMEOUT',
      errorMessage: 'Timed out.',
      attempts: 1,
      correlationId: undefined,
      firstFailedAt: 1_000,
      lastFailedAt: 1_000,
      replayedAt: undefined,
    });
    expect(decodeDeadLetterCursor(cursor)).toEqual({
      firstFailedAt: 1_000,
      tenantId: TENANT,
      id: 'sms-1',
    });
  });

  it.each([
    ['not json', 'bm90IGpzb24'],
    ['a wrong shape', Buffer.from('[1,"t"]').toString('base64url')],
  ])('throws an invalid-cursor error when the cursor is %s', (_, cursor) => {
    expect(() => decodeDeadLetterCursor(cursor)).toThrow(InvalidDeadLetterCursorError);
  });

  it('defaults to 50 and refuses sizes outside 1 to 500 when a page size is asked for', () => {
    expect(deadLetterPageSize({})).toBe(50);
    expect(() => deadLetterPageSize({ limit: 0 })).toThrow(ValidationError);
    expect(() => deadLetterPageSize({ limit: 501 })).toThrow(ValidationError);
  });
});

describe('decodeDeadLetterCursor', () => {
  it('refuses a forged cursor naming a non-UUID tenant, an out-of-range time or a non-string cursor with InvalidDeadLetterCursorError (the Postgres store failed with a 503)', () => {
    for (const position of [
      [1_000, '+1Zq81LmXv03Pa', 'sms-1'],
      [-8.64e15, TENANT, 'sms-1'],
      [1_000, TENANT, ''],
    ]) {
      const cursor = Buffer.from(JSON.stringify(position)).toString('base64url');
      expect(() => decodeDeadLetterCursor(cursor)).toThrow(InvalidDeadLetterCursorError);
    }
    expect(() => decodeDeadLetterCursor(42 as never)).toThrow(InvalidDeadLetterCursorError);
  });
});
