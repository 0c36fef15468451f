import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../errors.js';
import {
  DatabaseError,
  ExclusionViolationError,
  ForeignKeyViolationError,
  SqlPermissionDeniedError,
  sqlStateOf,
  toSqlError,
  TransactionConflictError,
  UniqueViolationError,
} from './errors.js';

function driverError(code: string, constraint?: string): Error {
  return Object.assign(new Error('Key (email)=(jane@example.org) already exists.'), {
    code,
    constraint,
    detail: 'Key (email)=(jane@example.org) already exists.',
  });
}

describe('toSqlError', () => {
  it.each([
    ['23505', UniqueViolationError, 'UNIQUE_VIOLATION', 409],
    ['23P01', ExclusionViolationError, 'EXCLUSION_VIOLATION', 409],
    ['23503', ForeignKeyViolationError, 'FOREIGN_KEY_VIOLATION', 409],
    ['40001', TransactionConflictError, 'TRANSACTION_CONFLICT', 409],
    ['40P01', TransactionConflictError, 'TRANSACTION_CONFLICT', 409],
    ['42501', SqlPermissionDeniedError, 'SQL_PERMISSION_DENIED', 403],
    ['42601', DatabaseError, 'DATABASE_ERROR', 502],
  ])(
    'maps SQLSTATE %s to a typed error when the driver reports it',
    (code, type, ourCode, status) => {
      const cause = driverError(code, 'patients_email_key');
      const error = toSqlError(cause);
      expect(error).toBeInstanceOf(type);
      expect(error).toMatchObject({ code: ourCode, status, cause });
      expect(error.message).not.toContain('jane@example.org');
      expect(JSON.stringify(error.toProblem())).not.toContain('jane@example.org');
    },
  );

  it('names the constraint when the driver reports one, and omits it otherwise', () => {
    expect(toSqlError(driverError('23505', 'patients_email_key')).message).toContain(
      'patients_email_key',
    );
    expect(toSqlError(driverError('23P01'))).toMatchObject({ constraint: undefined });
  });

  it('marks connection failures transient and syntax errors permanent', () => {
    expect(toSqlError(driverError('08006'))).toMatchObject({ transient: true, sqlState: '08006' });
    expect(toSqlError(driverError('42601'))).toMatchObject({ transient: false });
    expect(toSqlError(new Error('connect ECONNREFUSED'))).toMatchObject({
      transient: true,
      sqlState: undefined,
    });
  });

  it('passes CareQueue errors through unchanged', () => {
    const original = new NotFoundError('clinic');
    expect(toSqlError(original)).toBe(original);
  });
});

describe('sqlStateOf', () => {
  it('returns the code only when it looks like a SQLSTATE', () => {
    expect(sqlStateOf(driverError('23505'))).toBe('23505');
    expect(sqlStateOf(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBeUndefined();
    expect(sqlStateOf('23505')).toBeUndefined();
    expect(sqlStateOf(null)).toBeUndefined();
  });
});
