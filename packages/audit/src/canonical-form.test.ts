import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalForm,
  GENESIS_HASH,
  jsonbText,
  payloadHash,
  storedTimestamp,
} from './canonical-form.js';
import { sampleAuditEvent } from './testing/sample-event.js';

describe('jsonbText', () => {
  it('orders keys by byte length then bytes when rendering an object', () => {
    expect(jsonbText({ bb: 1, a: [true, null], é: 'x', c: { z: 'q"\n' } })).toBe(
      '{"a": [true, null], "c": {"z": "q\\"\\n"}, "bb": 1, "é": "x"}',
    );
  });

  it('renders undefined members as absent and undefined values as null', () => {
    expect(jsonbText({ a: undefined as unknown as null, b: 2 })).toBe('{"b": 2}');
    expect(jsonbText(undefined)).toBe('null');
  });

  it('writes numbers out without exponents, as Postgres prints a jsonb number', () => {
    expect(jsonbText([1e21, 1.2e21, -1.5e-10, 1e-7, 123.45, 0, -0, 1e20])).toBe(
      '[1000000000000000000000, 1200000000000000000000, -0.00000000015, 0.0000001, 123.45, 0, 0, 100000000000000000000]',
    );
  });

  it('parses back to the same value for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const normalized: unknown = JSON.parse(JSON.stringify(value));
        expect(JSON.parse(jsonbText(normalized as never))).toEqual(normalized);
      }),
    );
  });
});

describe('storedTimestamp', () => {
  it('renders microseconds in UTC when given a date', () => {
    expect(storedTimestamp(new Date('2026-03-04T05:06:07.089Z'))).toBe(
      '2026-03-04T05:06:07.089000Z',
    );
  });
});

describe('canonicalForm', () => {
  it('starts with the version and previous hash when rendered', () => {
    const text = canonicalForm(sampleAuditEvent(), GENESIS_HASH);
    expect(text.startsWith(`["cq-audit-v1", "${GENESIS_HASH}", `)).toBe(true);
  });

  it('changes the payload hash when any field or the previous hash changes', () => {
    const base = sampleAuditEvent();
    const baseHash = payloadHash(base, GENESIS_HASH);
    fc.assert(
      fc.property(
        fc.constantFrom(
          'userId',
          'action',
          'resourceId',
          'patientId',
          'ipAddress',
          'userAgent',
          'recipient',
          'disclosureBasis',
          'sessionId',
          'correlationId',
        ),
        fc.string({ minLength: 1 }),
        (field, value) => {
          fc.pre(base[field] !== value);
          expect(payloadHash({ ...base, [field]: value }, GENESIS_HASH)).not.toBe(baseHash);
        },
      ),
    );
    expect(payloadHash(base, 'f'.repeat(64))).not.toBe(baseHash);
    expect(
      payloadHash({ ...base, timestamp: new Date(base.timestamp.getTime() + 1) }, GENESIS_HASH),
    ).not.toBe(baseHash);
    expect(
      payloadHash({ ...base, metadata: { ...base.metadata, page: 3 } }, GENESIS_HASH),
    ).not.toBe(baseHash);
  });
});
