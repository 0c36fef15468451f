import { createSecretKey, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.js';
import { createBlindIndex, type BlindIndexField, type BlindIndexOptions } from './blind-index.js';
import { EncryptionKeyConfigError } from './errors.js';

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

describe('createBlindIndex with malformed arguments', () => {
  const marker = `marker-${Math.random().toString(36).slice(2)}`;

  it('throws EncryptionKeyConfigError when the key is left unset (raw TypeError in secretKeyFromBase64)', () => {
    const unset = { key: undefined } as unknown as BlindIndexOptions;
    expect(() => createBlindIndex(unset)).toThrow(EncryptionKeyConfigError);
    expect(() => createBlindIndex(unset)).toThrow(/blind index key is missing/);
  });

  it('throws ValidationError naming the argument when the field is null or circular (raw TypeError in blindIndex)', () => {
    const index = createBlindIndex({ key: randomBytes(32).toString('base64') });
    const circular: Record<string, unknown> = { column: 'ssn' };
    circular['table'] = circular;
    for (const field of [null, circular]) {
      let caught: unknown;
      try {
        index(field as unknown as BlindIndexField, marker);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ValidationError);
      const error = caught as ValidationError;
      expect(error.issues.length).toBe(1);
      expect(error.issues[0]?.path).toMatch(/^field/);
      expect(error.message).not.toContain(marker);
      expect(JSON.stringify(error.toProblem())).not.toContain(marker);
    }
  });
});
