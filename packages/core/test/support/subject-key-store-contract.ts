import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SubjectKeyRecord, SubjectKeyStore } from '../../src/crypto/subject-key-store.js';
import { ValidationError } from '../../src/errors.js';

/** Returns an empty store; called at the start of every test. */
export type SubjectKeyStoreFactory = () => Promise<SubjectKeyStore>;

// Stores only keep what they are given, so records need not be real wrapped keys here.
const record = (label: string): SubjectKeyRecord => ({
  keyId: `key-${label}`,
  wrappedKey: `cq1.k.k1.${label}`,
});

/**
 * The behaviour every {@link SubjectKeyStore} adapter must show: one key per subject agreed on by
 * concurrent creators, real deletion, pages in subject id order, compare-and-set re-wrapping
 * that never creates a key, and the same refusals of bad arguments.
 *
 * @example
 * ```ts
 * describeSubjectKeyStoreContract('memory', async () => memorySubjectKeyStore());
 * ```
 */
export function describeSubjectKeyStoreContract(
  name: string,
  createStore: SubjectKeyStoreFactory,
): void {
  describe(`${name} (SubjectKeyStore contract)`, () => {
    it('returns undefined when the subject has no key', async () => {
      const store = await createStore();
      expect(await store.get(randomUUID())).toBeUndefined();
    });

    it('keeps the first key when a second one is created for the same subject', async () => {
      const store = await createStore();
      const subjectId = randomUUID();
      expect(await store.createIfAbsent(subjectId, record('a'))).toEqual(record('a'));
      expect(await store.createIfAbsent(subjectId, record('b'))).toEqual(record('a'));
      expect(await store.get(subjectId)).toEqual(record('a'));
    });

    it('agrees on one key when several writers create it at once', async () => {
      const store = await createStore();
      const subjectId = randomUUID();
      const winners = await Promise.all(
        ['a', 'b', 'c', 'd'].map((label) => store.createIfAbsent(subjectId, record(label))),
      );
      const stored = await store.get(subjectId);
      expect(winners.every((winner) => winner.keyId === stored?.keyId)).toBe(true);
    });

    it('deletes the key when the subject is destroyed, and ignores a missing one', async () => {
      const store = await createStore();
      const subjectId = randomUUID();
      await store.createIfAbsent(subjectId, record('a'));
      await store.destroy(subjectId);
      await store.destroy(subjectId);
      expect(await store.get(subjectId)).toBeUndefined();
      expect(await store.list({ limit: 10 })).toEqual([]);
    });

    it('lists keys in subject id order, page after page, when given the last id of each page', async () => {
      const store = await createStore();
      const ids = ['subject-c', 'subject-a', 'subject-e', 'subject-b', 'subject-d'];
      for (const id of ids) await store.createIfAbsent(id, record(id));
      const first = await store.list({ limit: 2 });
      expect(first.map((entry) => entry.subjectId)).toEqual(['subject-a', 'subject-b']);
      expect(first[0]).toEqual({ subjectId: 'subject-a', ...record('subject-a') });
      const second = await store.list({ after: 'subject-b', limit: 2 });
      expect(second.map((entry) => entry.subjectId)).toEqual(['subject-c', 'subject-d']);
      const last = await store.list({ after: 'subject-d', limit: 2 });
      expect(last.map((entry) => entry.subjectId)).toEqual(['subject-e']);
      expect(await store.list({ after: 'subject-e', limit: 2 })).toEqual([]);
    });

    it('replaces a wrapped key only when the subject still holds the expected record', async () => {
      const store = await createStore();
      const [kept, stale] = [randomUUID(), randomUUID()];
      await store.createIfAbsent(kept, record('kept'));
      await store.createIfAbsent(stale, record('stale'));
      const replaced = await store.replaceWrappedKeys([
        { subjectId: kept, expected: record('kept'), wrappedKey: 'cq1.k.k2.kept' },
        {
          subjectId: stale,
          expected: { keyId: 'key-stale', wrappedKey: 'cq1.k.k0.older' },
          wrappedKey: 'cq1.k.k2.stale',
        },
      ]);
      expect(replaced).toBe(1);
      expect(await store.get(kept)).toEqual({ keyId: 'key-kept', wrappedKey: 'cq1.k.k2.kept' });
      expect(await store.get(stale)).toEqual(record('stale'));
      expect(await store.replaceWrappedKeys([])).toBe(0);
    });

    it('never brings a key back when it was destroyed before its replacement', async () => {
      const store = await createStore();
      const subjectId = randomUUID();
      await store.createIfAbsent(subjectId, record('erased'));
      await store.destroy(subjectId);
      const replaced = await store.replaceWrappedKeys([
        { subjectId, expected: record('erased'), wrappedKey: 'cq1.k.k2.erased' },
      ]);
      expect(replaced).toBe(0);
      expect(await store.get(subjectId)).toBeUndefined();
    });

    it('leaves a new key alone when the subject was destroyed and got a new key before the replacement', async () => {
      const store = await createStore();
      const subjectId = randomUUID();
      await store.createIfAbsent(subjectId, record('old'));
      await store.destroy(subjectId);
      await store.createIfAbsent(subjectId, { keyId: 'key-new', wrappedKey: 'cq1.k.k1.old' });
      const replaced = await store.replaceWrappedKeys([
        { subjectId, expected: record('old'), wrappedKey: 'cq1.k.k2.old' },
      ]);
      expect(replaced).toBe(0);
      expect(await store.get(subjectId)).toEqual({ keyId: 'key-new', wrappedKey: 'cq1.k.k1.old' });
    });

    describe('with bad arguments', () => {
      const marker = `marker-${randomUUID()}`;

      async function pathsOf(call: () => Promise<unknown>): Promise<string[]> {
        const error = await call().then(
          () => undefined,
          (caught: unknown) => caught,
        );
        expect(error).toBeInstanceOf(ValidationError);
        expect(JSON.stringify((error as ValidationError).toProblem())).not.toContain(marker);
        expect((error as Error).message).not.toContain(marker);
        return (error as ValidationError).issues.map((issue) => issue.path);
      }

      it('refuses a subject id that is not a string of 1 to 256 characters, naming the argument', async () => {
        const store = await createStore();
        for (const bad of [null, 7, '', `${marker}${'x'.repeat(256)}`]) {
          const subjectId = bad as string;
          expect(await pathsOf(() => store.get(subjectId))).toEqual(['subjectId']);
          expect(await pathsOf(() => store.destroy(subjectId))).toEqual(['subjectId']);
          expect(await pathsOf(() => store.createIfAbsent(subjectId, record('a')))).toEqual([
            'subjectId',
          ]);
        }
      });

      it('refuses a record without string keyId and wrappedKey, naming the fields', async () => {
        const store = await createStore();
        expect(
          await pathsOf(() =>
            store.createIfAbsent(randomUUID(), null as unknown as SubjectKeyRecord),
          ),
        ).toEqual(['record']);
        expect(
          await pathsOf(() =>
            store.createIfAbsent(randomUUID(), { keyId: 1, wrappedKey: '' } as never),
          ),
        ).toEqual(['record.keyId', 'record.wrappedKey']);
      });

      it('refuses a page whose limit is not an integer from 1 to 1000 or whose cursor is not a subject id', async () => {
        const store = await createStore();
        for (const limit of [0, 1.5, 1001, Number.NaN, '10']) {
          expect(await pathsOf(() => store.list({ limit: limit as number }))).toEqual([
            'page.limit',
          ]);
        }
        expect(
          await pathsOf(() => store.list({ after: 5 as unknown as string, limit: 1 })),
        ).toEqual(['page.after']);
        expect(await pathsOf(() => store.list(null as never))).toEqual(['page']);
      });

      it('refuses replacements that are not an array of well-formed items, writing nothing', async () => {
        const store = await createStore();
        const subjectId = randomUUID();
        await store.createIfAbsent(subjectId, record('a'));
        expect(await pathsOf(() => store.replaceWrappedKeys(null as never))).toEqual([
          'replacements',
        ]);
        expect(
          await pathsOf(() =>
            store.replaceWrappedKeys([
              { subjectId, expected: record('a'), wrappedKey: 'cq1.k.k2.a' },
              { subjectId: marker, expected: null, wrappedKey: marker } as never,
            ]),
          ),
        ).toEqual(['replacements[1].expected']);
        expect(await store.get(subjectId)).toEqual(record('a'));
      });
    });
  });
}
