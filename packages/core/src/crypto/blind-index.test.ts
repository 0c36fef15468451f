import { createSecretKey, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBlindIndex } from './blind-index.js';

const ssn = { table: 'patients', column: 'ssn' };

describe('createBlindIndex', () => {
  it('returns the same index for the same key, column and value', () => {
    const key = randomBytes(32).toString('base64');
    expect(createBlindIndex({ key })(ssn, '123-45-6789')).toBe(
      createBlindIndex({ key })(ssn, '123-45-6789'),
    );
  });

  it('returns a different index when the key differs', () => {
    const a = createBlindIndex({ key: randomBytes(32).toString('base64') });
    const b = createBlindIndex({ key: randomBytes(32).toString('base64') });
    expect(a(ssn, '123-45-6789')).not.toBe(b(ssn, '123-45-6789'));
  });

  it('returns a different index when the column differs', () => {
    const index = createBlindIndex({ key: createSecretKey(randomBytes(32)) });
    expect(index(ssn, '123456789')).not.toBe(
      index({ table: 'patients', column: 'mrn' }, '123456789'),
    );
  });

  it('maps equivalent inputs together when a normalize hook is given', () => {
    const index = createBlindIndex({
      key: randomBytes(32).toString('base64'),
      normalize: (value) => value.replace(/\D/g, ''),
    });
    expect(index(ssn, '123-45-6789')).toBe(index(ssn, '123 45 6789'));
  });

  it('trims and NFKC-normalizes by default', () => {
    const index = createBlindIndex({ key: randomBytes(32).toString('base64') });
    expect(index(ssn, ' ＡＢＣ ')).toBe(index(ssn, 'ABC'));
  });

  it('never contains the value and differs for different values', () => {
    const index = createBlindIndex({ key: randomBytes(32).toString('base64') });
    fc.assert(
      fc.property(fc.string({ minLength: 4 }), fc.string({ minLength: 4 }), (a, b) => {
        fc.pre(a.normalize('NFKC').trim() !== b.normalize('NFKC').trim());
        expect(index(ssn, a)).not.toBe(index(ssn, b));
        expect(index(ssn, a)).toMatch(/^[A-Za-z0-9_-]{43}$/);
      }),
    );
  });
});
