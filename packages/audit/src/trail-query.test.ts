import { ValidationError } from '@carequeue/core';
import { describe, expect, it } from 'vitest';
import { AuditCursorInvalidError } from './errors.js';
import {
  decodeCursor,
  encodeCursor,
  resolveTrailQuery,
  sortKeyOf,
  type AuditTrailQuery,
} from './trail-query.js';
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

  it('throws AuditCursorInvalidError when a forged cursor carries a key or id the sort cannot use', () => {
    const forged = (entry: unknown[]): string =>
      Buffer.from(JSON.stringify(entry)).toString('base64url');
    expect(() =>
      decodeCursor(forged(['timestamp', 'asc', 'soon', log.id]), 'timestamp', 'asc'),
    ).toThrow(AuditCursorInvalidError);
    expect(() =>
      decodeCursor(forged(['timestamp', 'asc', 1e300, log.id]), 'timestamp', 'asc'),
    ).toThrow(AuditCursorInvalidError);
    expect(() => decodeCursor(forged(['sequence', 'asc', -1, log.id]), 'sequence', 'asc')).toThrow(
      AuditCursorInvalidError,
    );
    expect(() =>
      decodeCursor(forged(['userId', 'asc', 'u', 'not-a-uuid']), 'userId', 'asc'),
    ).toThrow(AuditCursorInvalidError);
  });
});

function validationIssuesOf(query: unknown): unknown {
  try {
    resolveTrailQuery(query as AuditTrailQuery);
  } catch (error: unknown) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).issues.map((issue) => issue.path);
  }
  throw new Error('expected resolveTrailQuery to throw');
}

const TENANT = '0190a5c2-7b3e-7c1d-9f00-1a2b3c4d5e6f';

describe('resolveTrailQuery', () => {
  it('applies the defaults when a query names only its tenant', () => {
    expect(resolveTrailQuery({ tenantId: TENANT })).toEqual({
      tenantId: TENANT,
      sortBy: 'timestamp',
      order: 'asc',
      limit: 100,
      after: undefined,
    });
  });

  it('reads the tenant in lower case, as Postgres compares and returns uuids', () => {
    expect(resolveTrailQuery({ tenantId: TENANT.toUpperCase() }).tenantId).toBe(TENANT);
  });

  it('keeps the limit when it is an integer from 1 to the maximum', () => {
    expect(resolveTrailQuery({ tenantId: TENANT, limit: 1 }).limit).toBe(1);
    expect(resolveTrailQuery({ tenantId: TENANT, limit: 1_000 }).limit).toBe(1_000);
  });

  it('refuses an unknown sortBy with a ValidationError, not a raw TypeError', () => {
    expect(validationIssuesOf({ tenantId: TENANT, sortBy: 'constructor' })).toEqual(['sortBy']);
  });

  it('refuses limit NaN as invalid input instead of a 503 blaming the database', () => {
    expect(validationIssuesOf({ tenantId: TENANT, limit: Number.NaN })).toEqual(['limit']);
  });

  it('refuses an out-of-range date as invalid input instead of a 503', () => {
    expect(validationIssuesOf({ tenantId: TENANT, from: new Date(Date.UTC(-5, 0, 1)) })).toEqual([
      'from',
    ]);
    expect(validationIssuesOf({ tenantId: TENANT, to: new Date(Date.UTC(10_000, 0, 1)) })).toEqual([
      'to',
    ]);
  });

  it.each([
    ['an unknown order', { order: 'up' }, ['order']],
    ['a limit of 0', { limit: 0 }, ['limit']],
    ['a negative limit', { limit: -5 }, ['limit']],
    ['a limit above the maximum', { limit: 5_000 }, ['limit']],
    ['a fractional limit', { limit: 2.5 }, ['limit']],
    ['an invalid Date', { from: new Date(Number.NaN) }, ['from']],
    ['a date that is not a Date', { to: '2026-01-01' }, ['to']],
    ['from after to', { from: new Date(2_000), to: new Date(1_000) }, ['from']],
    ['a cursor that is not a string', { cursor: 42 }, ['cursor']],
    ['a filter that is not a string', { patientId: 7 }, ['patientId']],
    ['a missing tenant', { tenantId: undefined }, ['tenantId']],
    [
      'a tenant that is not a UUID (a 503 on SQL, an empty page in memory)',
      { tenantId: 'clinic-1' },
      ['tenantId'],
    ],
    [
      'a filter holding a NUL (a 503 on SQL, an empty page in memory)',
      { action: 'read\u0000' },
      ['action'],
    ],
    ['a filter longer than the text limit', { userId: 'u'.repeat(4_097) }, ['userId']],
  ])('refuses %s with a ValidationError naming the field', (_name, fields, paths) => {
    expect(validationIssuesOf({ tenantId: TENANT, ...fields })).toEqual(paths);
  });

  it('refuses a query that is not an object with a ValidationError', () => {
    expect(validationIssuesOf(null)).toEqual(['']);
    expect(validationIssuesOf('tenant')).toEqual(['']);
  });

  it('names the fields but never echoes their values when it refuses a query', () => {
    try {
      resolveTrailQuery({ tenantId: TENANT, sortBy: 'Jane Doe' as never, limit: 31337 });
    } catch (error: unknown) {
      const json = JSON.stringify((error as ValidationError).toJSON());
      expect(json).not.toContain('Jane Doe');
      expect(json).not.toContain('31337');
      expect((error as ValidationError).message).toContain('sortBy, limit');
      return;
    }
    throw new Error('expected resolveTrailQuery to throw');
  });
});
