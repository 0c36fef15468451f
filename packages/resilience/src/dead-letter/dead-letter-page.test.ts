import { describe, expect, it } from 'vitest';
import { InvalidDeadLetterCursorError, ResilienceConfigError } from '../errors.js';
import {
  deadLetterPageSize,
  decodeDeadLetterCursor,
  encodeDeadLetterCursor,
} from './dead-letter-page.js';

describe('deadLetterPage', () => {
  it('decodes the position it encoded when a cursor is round-tripped', () => {
    const cursor = encodeDeadLetterCursor({
      id: 'sms-1',
      tenantId: 't-1',
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
      tenantId: 't-1',
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
    expect(() => deadLetterPageSize({ limit: 0 })).toThrow(ResilienceConfigError);
    expect(() => deadLetterPageSize({ limit: 501 })).toThrow(ResilienceConfigError);
  });
});
