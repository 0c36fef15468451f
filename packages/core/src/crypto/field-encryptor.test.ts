import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.js';
import { parseEnvelope, type FieldContext } from './envelope.js';
import {
  DecryptionFailedError,
  EncryptionKeyConfigError,
  SubjectKeyShreddedError,
  UnknownEncryptionKeyError,
} from './errors.js';
import { createFieldEncryptor } from './field-encryptor.js';
import { keyringFromConfig } from './key-provider.js';
import {
  memorySubjectKeyStore,
  type SubjectKeyRecord,
  type SubjectKeyStore,
} from './subject-key-store.js';

const newKey = (): string => randomBytes(32).toString('base64');
const k1 = newKey();
const k2 = newKey();
const field: FieldContext = { table: 'patients', column: 'ssn', rowId: 'p_1' };
const subjectField: FieldContext = { ...field, subjectId: 'p_1' };

function encryptorWith(current: 'k1' | 'k2', subjectKeys?: SubjectKeyStore) {
  return createFieldEncryptor({
    keys: keyringFromConfig({ current, keys: current === 'k1' ? { k1 } : { k1, k2 } }),
    ...(subjectKeys ? { subjectKeys } : {}),
  });
}

function flipByteOf(ciphertext: string, index: number): string {
  const parts = ciphertext.split('.');
  const body = Buffer.from(parts[4] as string, 'base64url');
  body[index % body.length] = (body[index % body.length] as number) ^ 0x01;
  parts[4] = body.toString('base64url');
  return parts.join('.');
}

describe('createFieldEncryptor', () => {
  it('round-trips a value when decrypted in the same context', async () => {
    const encryptor = encryptorWith('k1');
    const stored = await encryptor.encrypt('123-45-6789', field);
    expect(stored).not.toContain('123');
    expect(stored.startsWith('cq1.k.k1.')).toBe(true);
    await expect(encryptor.decrypt(stored, field)).resolves.toBe('123-45-6789');
  });

  it('round-trips any string, including the empty one, when context matches', async () => {
    const encryptor = encryptorWith('k1', memorySubjectKeyStore());
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'grapheme' }),
        fc.boolean(),
        async (plaintext, perSubject) => {
          const context = perSubject ? subjectField : field;
          const stored = await encryptor.encrypt(plaintext, context);
          expect(await encryptor.decrypt(stored, context)).toBe(plaintext);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('produces a different ciphertext each time when encrypting the same value', async () => {
    const encryptor = encryptorWith('k1');
    expect(await encryptor.encrypt('x', field)).not.toBe(await encryptor.encrypt('x', field));
  });

  it('rejects the ciphertext when any byte of the body is flipped', async () => {
    const encryptor = encryptorWith('k1');
    const stored = await encryptor.encrypt('123-45-6789', field);
    await fc.assert(
      fc.asyncProperty(fc.nat(), async (index) => {
        await expect(encryptor.decrypt(flipByteOf(stored, index), field)).rejects.toMatchObject({
          code: 'DECRYPTION_FAILED',
          reason: 'authentication',
        });
      }),
      { numRuns: 40 },
    );
  });

  it('rejects the ciphertext when moved to another row, column or table', async () => {
    const encryptor = encryptorWith('k1');
    const stored = await encryptor.encrypt('123-45-6789', field);
    for (const moved of [
      { ...field, rowId: 'p_2' },
      { ...field, column: 'mrn' },
      { ...field, table: 'staff' },
    ]) {
      await expect(encryptor.decrypt(stored, moved)).rejects.toBeInstanceOf(DecryptionFailedError);
    }
  });

  it('rejects the ciphertext when the keyring holds different material under the same id', async () => {
    const stored = await encryptorWith('k1').encrypt('123-45-6789', field);
    const impostor = createFieldEncryptor({
      keys: keyringFromConfig({ current: 'k1', keys: { k1: newKey() } }),
    });
    await expect(impostor.decrypt(stored, field)).rejects.toMatchObject({
      code: 'DECRYPTION_FAILED',
    });
  });

  it('rejects the ciphertext when the header names another key id', async () => {
    const encryptor = encryptorWith('k2');
    const stored = await encryptor.encrypt('123-45-6789', field);
    await expect(encryptor.decrypt(stored.replace('.k2.', '.k1.'), field)).rejects.toBeInstanceOf(
      DecryptionFailedError,
    );
  });

  it('throws UnknownEncryptionKeyError when the key id is no longer in the keyring', async () => {
    const stored = await encryptorWith('k2').encrypt('123-45-6789', field);
    const error = await encryptorWith('k1')
      .decrypt(stored, field)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownEncryptionKeyError);
    expect(error).toMatchObject({ keyId: 'k2', code: 'ENCRYPTION_KEY_UNKNOWN' });
  });

  it('reports malformed input without echoing it', async () => {
    const encryptor = encryptorWith('k1');
    for (const bad of ['123-45-6789', 'cq1.k.k1.AAAA.AAAA', 'cq2.k.k1.a.b', 'cq1.x.k1.a.b']) {
      const error = await encryptor.decrypt(bad, field).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'DECRYPTION_FAILED', reason: 'malformed' });
      expect((error as Error).message).not.toContain(bad);
    }
  });

  it('decrypts values under a retired key and rotates them to the current key', async () => {
    const old = await encryptorWith('k1').encrypt('123-45-6789', field);
    const encryptor = encryptorWith('k2');
    expect(encryptor.needsRotation(old)).toBe(true);
    const rotated = await encryptor.rotate(old, field);
    expect(parseEnvelope(rotated).keyRef).toBe('k2');
    expect(encryptor.needsRotation(rotated)).toBe(false);
    await expect(encryptor.decrypt(rotated, field)).resolves.toBe('123-45-6789');
  });

  it('never reports rotation for subject-key values, whose data key is re-wrapped instead', async () => {
    const store = memorySubjectKeyStore();
    const stored = await encryptorWith('k1', store).encrypt('123-45-6789', subjectField);
    expect(stored.startsWith('cq1.s.')).toBe(true);
    expect(encryptorWith('k2', store).needsRotation(stored)).toBe(false);
  });

  it('reports rotation for a stored subject key wrapped under a retired master key (needsRotation was false for subject keys)', async () => {
    const store = memorySubjectKeyStore();
    await encryptorWith('k1', store).encrypt('123-45-6789', subjectField);
    const stored = await store.get('p_1');
    if (!stored) throw new Error('the subject key was not created');
    const rotating = encryptorWith('k2', store);
    expect(rotating.needsRotation(stored)).toBe(true);
    expect(rotating.needsRotation(stored.wrappedKey)).toBe(true);
    await rotating.rewrapSubjectKeys();
    const rewrapped = await store.get('p_1');
    expect(rewrapped?.keyId).toBe(stored.keyId);
    expect(rotating.needsRotation(rewrapped as SubjectKeyRecord)).toBe(false);
  });

  it('keeps subject values readable after the master key rotates when the retired key is kept', async () => {
    const store = memorySubjectKeyStore();
    const stored = await encryptorWith('k1', store).encrypt('123-45-6789', subjectField);
    await expect(encryptorWith('k2', store).decrypt(stored, subjectField)).resolves.toBe(
      '123-45-6789',
    );
  });

  it('makes every value of a subject undecryptable when the subject is shredded', async () => {
    const store = memorySubjectKeyStore();
    const encryptor = encryptorWith('k1', store);
    const other: FieldContext = { ...field, rowId: 'p_2', subjectId: 'p_2' };
    const mine = await encryptor.encrypt('123-45-6789', subjectField);
    const theirs = await encryptor.encrypt('987-65-4321', other);
    await encryptor.shredSubject('p_1');
    await expect(encryptor.decrypt(mine, subjectField)).rejects.toBeInstanceOf(
      SubjectKeyShreddedError,
    );
    await expect(encryptor.decrypt(theirs, other)).resolves.toBe('987-65-4321');
    const reborn = await encryptor.encrypt('new', subjectField);
    await expect(encryptor.decrypt(reborn, subjectField)).resolves.toBe('new');
    await expect(encryptor.decrypt(mine, subjectField)).rejects.toMatchObject({
      code: 'SUBJECT_DATA_SHREDDED',
      status: 410,
    });
  });

  it('throws SubjectKeyShreddedError when a subject value is read without its subject id', async () => {
    const encryptor = encryptorWith('k1', memorySubjectKeyStore());
    const stored = await encryptor.encrypt('123-45-6789', subjectField);
    await expect(encryptor.decrypt(stored, field)).rejects.toBeInstanceOf(SubjectKeyShreddedError);
  });

  it('refuses to create a subject key again when createSubjectKey is false and the subject was shredded', async () => {
    const store = memorySubjectKeyStore();
    const encryptor = encryptorWith('k1', store);
    const before = await encryptor
      .encrypt('cached', subjectField, { createSubjectKey: false })
      .then(
        () => 'sealed',
        (error: unknown) => error,
      );
    expect(before).toBeInstanceOf(SubjectKeyShreddedError);
    expect(await store.get('p_1')).toBeUndefined();
    const sealed = await encryptor.encrypt('123-45-6789', subjectField);
    const copy = await encryptor.encrypt('cached', subjectField, { createSubjectKey: false });
    await expect(encryptor.decrypt(copy, subjectField)).resolves.toBe('cached');
    await encryptor.shredSubject('p_1');
    await expect(
      encryptor.encrypt('cached', subjectField, { createSubjectKey: false }),
    ).rejects.toBeInstanceOf(SubjectKeyShreddedError);
    expect(await store.get('p_1')).toBeUndefined();
    await expect(encryptor.decrypt(sealed, subjectField)).rejects.toBeInstanceOf(
      SubjectKeyShreddedError,
    );
  });

  it('agrees on one subject key when two encryptions create it concurrently', async () => {
    const encryptor = encryptorWith('k1', memorySubjectKeyStore());
    const [a, b] = await Promise.all([
      encryptor.encrypt('a', subjectField),
      encryptor.encrypt('b', subjectField),
    ]);
    await expect(encryptor.decrypt(a, subjectField)).resolves.toBe('a');
    await expect(encryptor.decrypt(b, subjectField)).resolves.toBe('b');
  });

  it('throws a configuration error when per-subject features are used without a store', async () => {
    const encryptor = encryptorWith('k1');
    await expect(encryptor.encrypt('x', subjectField)).rejects.toBeInstanceOf(
      EncryptionKeyConfigError,
    );
    await expect(encryptor.shredSubject('p_1')).rejects.toThrow(/subjectKeys/);
    await expect(encryptor.rewrapSubjectKeys()).rejects.toBeInstanceOf(EncryptionKeyConfigError);
  });

  it('computes blind indexes with its own key when configured, and refuses otherwise', () => {
    const indexKey = newKey();
    const withIndex = createFieldEncryptor({
      keys: keyringFromConfig({ current: 'k1', keys: { k1 } }),
      blindIndex: { key: indexKey },
    });
    const column = { table: 'patients', column: 'ssn' };
    expect(withIndex.blindIndex(column, '123-45-6789')).toBe(
      withIndex.blindIndex(column, '123-45-6789'),
    );
    expect(() => encryptorWith('k1').blindIndex(column, '1')).toThrow(/blindIndex: \{ key \}/);
  });
});

describe('createFieldEncryptor with malformed arguments', () => {
  const marker = `marker-${Math.random().toString(36).slice(2)}`;

  async function validationErrorOf(call: () => Promise<unknown>): Promise<ValidationError> {
    const caught: unknown = await call().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(caught).toBeInstanceOf(ValidationError);
    const error = caught as ValidationError;
    expect(error.message).not.toContain(marker);
    expect(JSON.stringify(error.toProblem())).not.toContain(marker);
    return error;
  }

  it('throws ValidationError naming the argument when encrypt gets null (raw TypeError in encrypt)', async () => {
    const encryptor = encryptorWith('k1');
    const nullPlaintext = await validationErrorOf(() =>
      encryptor.encrypt(null as unknown as string, field),
    );
    expect(nullPlaintext.issues.map((issue) => issue.path)).toEqual(['plaintext']);
    const nullContext = await validationErrorOf(() =>
      encryptor.encrypt(marker, null as unknown as FieldContext),
    );
    expect(nullContext.issues.map((issue) => issue.path)).toEqual(['context']);
  });

  it('throws ValidationError naming the option when encrypt gets options that are not EncryptOptions', async () => {
    const encryptor = encryptorWith('k1', memorySubjectKeyStore());
    const nullOptions = await validationErrorOf(() =>
      encryptor.encrypt(marker, subjectField, null as never),
    );
    expect(nullOptions.issues.map((issue) => issue.path)).toEqual(['options']);
    const notBoolean = await validationErrorOf(() =>
      encryptor.encrypt(marker, subjectField, { createSubjectKey: marker as never }),
    );
    expect(notBoolean.issues.map((issue) => issue.path)).toEqual(['options.createSubjectKey']);
  });

  it('throws ValidationError naming the field when encrypt gets a circular context (circular object overflows the stack)', async () => {
    const encryptor = encryptorWith('k1');
    const circular: Record<string, unknown> = { table: 'patients', column: 'ssn' };
    circular['rowId'] = circular;
    const error = await validationErrorOf(() =>
      encryptor.encrypt(marker, circular as unknown as FieldContext),
    );
    expect(error.issues.map((issue) => issue.path)).toEqual(['context.rowId']);
  });

  it('throws ValidationError naming the argument when decrypt or needsRotation gets null (raw TypeError in encrypt)', async () => {
    const encryptor = encryptorWith('k1');
    const error = await validationErrorOf(() =>
      encryptor.decrypt(null as unknown as string, { ...field, subjectId: 7 as unknown as string }),
    );
    expect(error.issues.map((issue) => issue.path)).toEqual(['ciphertext', 'context.subjectId']);
    expect(() => encryptor.needsRotation(null as unknown as string)).toThrow(ValidationError);
  });

  it('throws ValidationError naming the argument when needsRotation gets a record without string fields', () => {
    const encryptor = encryptorWith('k1');
    const error = (() => {
      try {
        encryptor.needsRotation({ keyId: 7, wrappedKey: marker } as unknown as SubjectKeyRecord);
      } catch (caught: unknown) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((issue) => issue.path)).toEqual(['stored.keyId']);
    expect((error as Error).message).not.toContain(marker);
  });

  it('throws ValidationError naming the option when rewrapSubjectKeys gets a bad cursor or limit', async () => {
    const encryptor = encryptorWith('k1', memorySubjectKeyStore());
    for (const [options, paths] of [
      [{ after: 5, limit: 0 }, ['options.after', 'options.limit']],
      [{ limit: 1001 }, ['options.limit']],
      [{ limit: 2.5 }, ['options.limit']],
      [{ after: '' }, ['options.after']],
      [null, ['options']],
    ] as const) {
      const error = await validationErrorOf(() => encryptor.rewrapSubjectKeys(options as never));
      expect(error.issues.map((issue) => issue.path)).toEqual(paths);
    }
  });

  it('shredSubject refuses a subject id that is not a string before calling the store (the store refused it only after being called)', async () => {
    const store = memorySubjectKeyStore();
    const destroyed: unknown[] = [];
    const encryptor = encryptorWith('k1', {
      ...store,
      destroy: (subjectId) => {
        destroyed.push(subjectId);
        return store.destroy(subjectId);
      },
    });
    for (const subjectId of [8.64e15, null, { id: marker }, '', marker.repeat(40)]) {
      const error = await validationErrorOf(() => encryptor.shredSubject(subjectId as never));
      expect(error.issues.map((issue) => issue.path)).toEqual(['subjectId']);
    }
    expect(destroyed).toEqual([]);
  });

  it('createFieldEncryptor refuses missing options or a keyring without getKey with EncryptionKeyConfigError instead of a raw TypeError', () => {
    for (const options of [undefined, null, { keys: marker }, { keys: { currentKeyId: 'k1' } }]) {
      expect(() => createFieldEncryptor(options as never)).toThrow(EncryptionKeyConfigError);
    }
  });
});

describe('DecryptionFailedError', () => {
  it('answers 422, not 500, when decrypt is given a value that is not a ciphertext or was sealed for another context (hostile input reached a 5xx)', async () => {
    const encryptor = encryptorWith('k1');
    const stored = await encryptor.encrypt('123-45-6789', field);
    for (const [ciphertext, context] of [
      ['9999-12-31T23:59:59.999Z', field],
      [stored, { ...field, table: '../../Zq81LmXv03Pa' }],
    ] as const) {
      const error = await encryptor.decrypt(ciphertext, context).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DecryptionFailedError);
      expect((error as DecryptionFailedError).status).toBe(422);
      expect((error as DecryptionFailedError).toProblem().status).toBe(422);
    }
  });
});
