import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { FieldContext } from '../../src/crypto/envelope.js';
import { SubjectKeyShreddedError, UnknownEncryptionKeyError } from '../../src/crypto/errors.js';
import { createFieldEncryptor, type FieldEncryptor } from '../../src/crypto/field-encryptor.js';
import { keyringFromConfig } from '../../src/crypto/key-provider.js';
import type { SubjectKeyRewrapResult } from '../../src/crypto/subject-key-rewrap.js';
import type { SubjectKeyStore } from '../../src/crypto/subject-key-store.js';
import type { SubjectKeyStoreFactory } from './subject-key-store-contract.js';

const material = {
  k1: randomBytes(32).toString('base64'),
  k2: randomBytes(32).toString('base64'),
  k3: randomBytes(32).toString('base64'),
};
type KeyId = keyof typeof material;

function encryptorWith(
  current: KeyId,
  held: readonly KeyId[],
  subjectKeys: SubjectKeyStore,
): FieldEncryptor {
  const keys = Object.fromEntries(held.map((keyId) => [keyId, material[keyId]]));
  return createFieldEncryptor({ keys: keyringFromConfig({ current, keys }), subjectKeys });
}

const fieldOf = (subjectId: string): FieldContext => ({
  table: 'patients',
  column: 'national_id',
  rowId: subjectId,
  subjectId,
});

async function rewrapAll(
  encryptor: FieldEncryptor,
  limit = 100,
): Promise<SubjectKeyRewrapResult[]> {
  const batches: SubjectKeyRewrapResult[] = [];
  let after: string | undefined;
  do {
    const batch = await encryptor.rewrapSubjectKeys(
      after === undefined ? { limit } : { after, limit },
    );
    batches.push(batch);
    after = batch.next;
  } while (after !== undefined);
  return batches;
}

function total(
  batches: readonly SubjectKeyRewrapResult[],
  field: 'rewrapped' | 'alreadyCurrent' | 'changedConcurrently',
): number {
  return batches.reduce((sum, batch) => sum + batch[field], 0);
}

/** Runs `beforeReplace` between a batch's read of the keys and its compare-and-set write. */
function pausedBeforeReplace(
  store: SubjectKeyStore,
  beforeReplace: () => Promise<void>,
): SubjectKeyStore {
  return {
    get: (subjectId) => store.get(subjectId),
    createIfAbsent: (subjectId, record) => store.createIfAbsent(subjectId, record),
    destroy: (subjectId) => store.destroy(subjectId),
    list: (page) => store.list(page),
    async replaceWrappedKeys(replacements) {
      await beforeReplace();
      return store.replaceWrappedKeys(replacements);
    },
  };
}

/** Encrypts one value per subject under k1 and returns the subjects and their sealed values. */
async function sealedUnderK1(store: SubjectKeyStore, count: number) {
  const encryptor = encryptorWith('k1', ['k1'], store);
  const subjects = Array.from({ length: count }, () => randomUUID()).sort();
  const sealed = await Promise.all(
    subjects.map((subjectId, index) =>
      encryptor.encrypt(`national-id-${index}`, fieldOf(subjectId)),
    ),
  );
  return { subjects, sealed };
}

/**
 * Master key rotation of subject keys through the field encryptor, on the store `createStore`
 * returns: the regression of issue 21, batches that resume, and re-wraps racing erasures,
 * re-created keys and other re-wraps at the point between a batch's read and its write.
 *
 * @example
 * ```ts
 * describeSubjectKeyRewrap('memory', async () => memorySubjectKeyStore());
 * ```
 */
export function describeSubjectKeyRewrap(name: string, createStore: SubjectKeyStoreFactory): void {
  describe(`${name}: re-wrapping subject keys when the master key rotates`, () => {
    it('rotating the master key re-wraps subject keys, so the old master key can be retired (needsRotation was false for them and nothing re-wrapped them)', async () => {
      const store = await createStore();
      const { subjects, sealed } = await sealedUnderK1(store, 3);
      const rotating = encryptorWith('k2', ['k1', 'k2'], store);
      for (const entry of await store.list({ limit: 10 })) {
        expect(rotating.needsRotation(entry)).toBe(true);
      }

      const batches = await rewrapAll(rotating);

      expect(total(batches, 'rewrapped')).toBe(3);
      for (const entry of await store.list({ limit: 10 })) {
        expect(rotating.needsRotation(entry)).toBe(false);
      }
      const retired = encryptorWith('k2', ['k2'], store);
      for (const [index, subjectId] of subjects.entries()) {
        await expect(retired.decrypt(sealed[index] as string, fieldOf(subjectId))).resolves.toBe(
          `national-id-${index}`,
        );
      }
    });

    it('reports nothing to do when every key is already wrapped under the current master key', async () => {
      const store = await createStore();
      await sealedUnderK1(store, 2);
      const [batch] = await rewrapAll(encryptorWith('k1', ['k1'], store));
      expect(batch).toEqual({
        rewrapped: 0,
        alreadyCurrent: 2,
        changedConcurrently: 0,
        next: undefined,
      });
    });

    it('resumes from the cursor of the last finished batch when a run stops', async () => {
      const store = await createStore();
      const { subjects, sealed } = await sealedUnderK1(store, 5);
      const first = await encryptorWith('k2', ['k1', 'k2'], store).rewrapSubjectKeys({ limit: 2 });
      expect(first).toEqual({
        rewrapped: 2,
        alreadyCurrent: 0,
        changedConcurrently: 0,
        next: subjects[1],
      });

      // A new process picks the cursor up.
      const resumed = encryptorWith('k2', ['k1', 'k2'], store);
      const rest: SubjectKeyRewrapResult[] = [];
      let after = first.next;
      while (after !== undefined) {
        const batch = await resumed.rewrapSubjectKeys({ after, limit: 2 });
        rest.push(batch);
        after = batch.next;
      }
      expect(rest.map((batch) => batch.rewrapped)).toEqual([2, 1]);
      const retired = encryptorWith('k2', ['k2'], store);
      await expect(
        retired.decrypt(sealed[4] as string, fieldOf(subjects[4] as string)),
      ).resolves.toBe('national-id-4');
    });

    it('a re-wrap racing an erasure never brings the erased key back', async () => {
      const store = await createStore();
      const { subjects, sealed } = await sealedUnderK1(store, 2);
      const [erased, kept] = subjects as [string, string];
      const erasing = encryptorWith('k1', ['k1'], store);
      const rotating = encryptorWith(
        'k2',
        ['k1', 'k2'],
        pausedBeforeReplace(store, () => erasing.shredSubject(erased)),
      );

      const batch = await rotating.rewrapSubjectKeys();

      expect(batch).toMatchObject({ rewrapped: 1, changedConcurrently: 1 });
      expect(await store.get(erased)).toBeUndefined();
      await expect(rotating.decrypt(sealed[0] as string, fieldOf(erased))).rejects.toBeInstanceOf(
        SubjectKeyShreddedError,
      );
      await expect(
        encryptorWith('k2', ['k2'], store).decrypt(sealed[1] as string, fieldOf(kept)),
      ).resolves.toBe('national-id-1');
    });

    it('a re-wrap racing an erasure and a new key for the same subject keeps the new key', async () => {
      const store = await createStore();
      const { subjects, sealed } = await sealedUnderK1(store, 1);
      const subjectId = subjects[0] as string;
      const writer = encryptorWith('k2', ['k1', 'k2'], store);
      let reborn = '';
      const rotating = encryptorWith(
        'k2',
        ['k1', 'k2'],
        pausedBeforeReplace(store, async () => {
          await writer.shredSubject(subjectId);
          reborn = await writer.encrypt('after erasure', fieldOf(subjectId));
        }),
      );

      expect(await rotating.rewrapSubjectKeys()).toMatchObject({
        rewrapped: 0,
        changedConcurrently: 1,
      });

      const retired = encryptorWith('k2', ['k2'], store);
      await expect(retired.decrypt(reborn, fieldOf(subjectId))).resolves.toBe('after erasure');
      await expect(retired.decrypt(sealed[0] as string, fieldOf(subjectId))).rejects.toBeInstanceOf(
        SubjectKeyShreddedError,
      );
    });

    it('a re-wrap racing another re-wrap loses no key', async () => {
      const store = await createStore();
      const { subjects, sealed } = await sealedUnderK1(store, 3);
      const other = encryptorWith('k2', ['k1', 'k2'], store);
      const rotating = encryptorWith(
        'k2',
        ['k1', 'k2'],
        pausedBeforeReplace(store, async () => {
          await rewrapAll(other);
        }),
      );

      expect(await rotating.rewrapSubjectKeys()).toMatchObject({
        rewrapped: 0,
        changedConcurrently: 3,
      });

      const retired = encryptorWith('k2', ['k2'], store);
      for (const [index, subjectId] of subjects.entries()) {
        await expect(retired.decrypt(sealed[index] as string, fieldOf(subjectId))).resolves.toBe(
          `national-id-${index}`,
        );
      }
    });

    it('keeps erased keys erased and every other key readable when re-wraps and erasures run at once', async () => {
      const store = await createStore();
      const { subjects, sealed } = await sealedUnderK1(store, 12);
      const erased = subjects.filter((_, index) => index % 3 === 0);
      const erasing = encryptorWith('k1', ['k1'], store);
      await Promise.all([
        rewrapAll(encryptorWith('k2', ['k1', 'k2'], store), 2),
        rewrapAll(encryptorWith('k2', ['k1', 'k2'], store), 5),
        ...erased.map((subjectId) => erasing.shredSubject(subjectId)),
      ]);
      // A compare-and-set fails only where an erasure or the other run changed the key first, so
      // between the two runs every key that was not erased ends up re-wrapped.
      const retired = encryptorWith('k2', ['k2'], store);
      for (const [index, subjectId] of subjects.entries()) {
        const reading = () => retired.decrypt(sealed[index] as string, fieldOf(subjectId));
        if (erased.includes(subjectId)) {
          expect(await store.get(subjectId)).toBeUndefined();
          await expect(reading()).rejects.toBeInstanceOf(SubjectKeyShreddedError);
        } else {
          await expect(reading()).resolves.toBe(`national-id-${index}`);
        }
      }
    });

    it('fails the batch and writes nothing when a key is wrapped under a master key the keyring lacks', async () => {
      const store = await createStore();
      const { subjects } = await sealedUnderK1(store, 1);
      await encryptorWith('k3', ['k3'], store).encrypt('x', fieldOf(`${subjects[0]}-z`));
      const before = await store.list({ limit: 10 });

      const failure = await encryptorWith('k2', ['k1', 'k2'], store)
        .rewrapSubjectKeys()
        .catch((error: unknown) => error);

      expect(failure).toBeInstanceOf(UnknownEncryptionKeyError);
      expect(failure).toMatchObject({ keyId: 'k3' });
      expect(await store.list({ limit: 10 })).toEqual(before);
    });
  });
}
