import { describe, expect, it } from 'vitest';
import { AuditCursorInvalidError } from './errors.js';
import { decodeCursor, encodeCursor, resolveTrailQuery, sortKeyOf } from './trail-query.js';
import { sampleAuditEvent } from './testing/sample-event.js';

const log = { ...sampleAuditEvent(), sequence: null, payloadHash: null, previousHash: null };

describe('trail cursors', () => {
  it('round-trips the position when encoded and decoded for the same sort', () => {
    const cursor = encodeCursor(log, 'userId', 'desc');
    expect(decodeCursor(cursor, 'userId', 'desc')).toEqual({ key: log.userId, id: log.id });
  });

  it('throws AuditCursorInvalidError when the cursor is not one', () => {
    expect(() => decodeCursor('%%%', 'timestamp', 'asc')).toThrow(AuditCursorInvalidError);
    const wrongShape = Buffer.from('{"a":1}').toString('base64url');
    expect(() => decodeCursor(wrongShape, 'timestamp', 'asc')).toThrow(AuditCursorInvalidError);
  });

  it('orders unsealed events last and absent fields first when computing sort keys', () => {
    expect(sortKeyOf(log, 'sequence')).toBe(Number.MAX_SAFE_INTEGER);
    expect(sortKeyOf({ ...log, recipient: null }, 'recipient')).toBe('');
  });

  it('clamps the page size when a query asks for too many or too few', () => {
    expect(resolveTrailQuery({ tenantId: 't', limit: 5_000 }).limit).toBe(1_000);
    expect(resolveTrailQuery({ tenantId: 't', limit: 0 }).limit).toBe(1);
  });
});
