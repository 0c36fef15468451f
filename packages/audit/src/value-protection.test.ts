import { randomBytes } from 'node:crypto';
import {
  createFieldEncryptor,
  memorySubjectKeyStore,
  keyringFromConfig,
} from '@carequeue/core/crypto';
import { describe, expect, it } from 'vitest';
import { jsonbText } from './canonical-form.js';
import {
  changedFieldPaths,
  DEFAULT_PROTECTED_FIELDS,
  protectValue,
  toAuditJson,
} from './value-protection.js';

function encryptor() {
  return createFieldEncryptor({
    keys: keyringFromConfig({ current: 'k1', keys: { k1: randomBytes(32).toString('base64') } }),
    subjectKeys: memorySubjectKeyStore(),
  });
}

const patient = {
  givenName: 'Ada',
  familyName: 'Lovelace',
  status: 'active',
  contact: { email: 'ada@example.org', channel: 'email' },
};

describe('protectValue', () => {
  it('encrypts tagged fields under the subject key when an encryptor and subject are given', async () => {
    const fields = encryptor();
    const options = {
      protectedFields: DEFAULT_PROTECTED_FIELDS,
      eventId: 'event-1',
      column: 'new_value' as const,
      subjectId: 'patient-1',
      encryptor: fields,
    };
    const stored = (await protectValue(patient, options)) as Record<string, Record<string, string>>;
    expect(jsonbText(stored)).not.toContain('Ada');
    expect(jsonbText(stored)).not.toContain('ada@example.org');
    expect(stored.status).toBe('active');
    const context = {
      table: 'audit.events',
      column: 'new_value.givenName',
      rowId: 'event-1',
      subjectId: 'patient-1',
    };
    expect(await fields.decrypt(stored.givenName?.$encrypted as string, context)).toBe('"Ada"');
    await fields.shredSubject('patient-1');
    await expect(fields.decrypt(stored.givenName?.$encrypted as string, context)).rejects.toThrow();
  });

  it('redacts tagged fields when no encryptor is given', async () => {
    const stored = await protectValue([patient], {
      protectedFields: DEFAULT_PROTECTED_FIELDS,
      eventId: 'event-1',
      column: 'old_value',
    });
    expect(stored).toEqual([
      {
        givenName: { $redacted: true },
        familyName: { $redacted: true },
        status: 'active',
        contact: { email: { $redacted: true }, channel: 'email' },
      },
    ]);
  });

  it('stores nothing when the value is undefined', async () => {
    expect(
      await protectValue(undefined, {
        protectedFields: new Set(),
        eventId: 'e',
        column: 'old_value',
      }),
    ).toBeNull();
  });
});

describe('toAuditJson', () => {
  it('converts dates, big integers and non-finite numbers when given them', () => {
    expect(
      toAuditJson({
        at: new Date(0),
        big: 10n,
        nan: Number.NaN,
        skip: undefined,
        list: [undefined, () => 1],
        f: () => 1,
      }),
    ).toEqual({ at: '1970-01-01T00:00:00.000Z', big: '10', nan: null, list: [null, null] });
  });
});

describe('changedFieldPaths', () => {
  it('lists nested changed paths when objects differ', () => {
    expect(changedFieldPaths({ a: 1, b: { c: 2 }, d: 1 }, { a: 1, b: { c: 3 }, e: 1 })).toEqual([
      'b.c',
      'd',
      'e',
    ]);
  });

  it('treats a protected object as one field when it changes', () => {
    expect(changedFieldPaths({ address: { line1: 'x' } }, { address: { line1: 'y' } })).toEqual([
      'address',
    ]);
  });

  it('reports the whole value when a non-object changes', () => {
    expect(changedFieldPaths(null, { a: 1 })).toEqual(['$']);
    expect(changedFieldPaths('x', 'x')).toEqual([]);
  });
});
