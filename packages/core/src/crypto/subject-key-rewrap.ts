import type { KeyProvider } from './key-provider.js';
import type { SubjectKeyReplacement, SubjectKeyStore } from './subject-key-store.js';
import { unwrapSubjectKey, wrappedUnderOldKey, wrapSubjectKey } from './subject-key-wrapping.js';

/**
 * Which batch {@link FieldEncryptor.rewrapSubjectKeys} works on.
 *
 * @example
 * ```ts
 * const options: SubjectKeyRewrapOptions = { after: previous.next, limit: 500 };
 * ```
 */
export interface SubjectKeyRewrapOptions {
  /** Continue after this subject id: the `next` of the previous batch. Leave out to start. */
  readonly after?: string;
  /** How many stored keys the batch reads, from 1 to 1000. @default 100 */
  readonly limit?: number;
}

/**
 * What one batch of {@link FieldEncryptor.rewrapSubjectKeys} did.
 *
 * @example
 * ```ts
 * const { rewrapped, next }: SubjectKeyRewrapResult = await encryptor.rewrapSubjectKeys();
 * ```
 */
export interface SubjectKeyRewrapResult {
  /** Keys of the batch now wrapped under the current master key by this call. */
  readonly rewrapped: number;
  /** Keys of the batch that were already wrapped under the current master key. */
  readonly alreadyCurrent: number;
  /**
   * Keys left as they were because, since the batch read them, they were destroyed (erased),
   * destroyed and created again, or re-wrapped by another writer. A re-created key is already
   * wrapped under the current key of whoever created it.
   */
  readonly changedConcurrently: number;
  /** Pass as `after` to continue with the next batch; `undefined` once the store is exhausted. */
  readonly next: string | undefined;
}

/** The default number of keys a batch reads. */
export const DEFAULT_REWRAP_BATCH = 100;

/**
 * Re-wraps one page of stored subject keys under the current master key. Every key of the page
 * is unwrapped and wrapped again before anything is written, so a key that cannot be unwrapped
 * fails the batch with nothing written; the writes are compare-and-set per subject.
 *
 * @throws {@link UnknownEncryptionKeyError} when a key is wrapped under a master key the provider
 * does not hold (add it back to the keyring, then resume from the same `after`).
 * @throws {@link DecryptionFailedError} when a stored wrapped key is malformed or altered.
 * @example
 * ```ts
 * const result = await rewrapSubjectKeyPage(keys, store, { after: undefined, limit: 100 });
 * ```
 */
export async function rewrapSubjectKeyPage(
  keys: KeyProvider,
  store: SubjectKeyStore,
  page: { readonly after: string | undefined; readonly limit: number },
): Promise<SubjectKeyRewrapResult> {
  const entries = await store.list(
    page.after === undefined ? { limit: page.limit } : { after: page.after, limit: page.limit },
  );
  const replacements: SubjectKeyReplacement[] = entries
    .filter((entry) => wrappedUnderOldKey(keys, entry))
    .map((entry) => ({
      subjectId: entry.subjectId,
      expected: { keyId: entry.keyId, wrappedKey: entry.wrappedKey },
      wrappedKey: wrapSubjectKey(
        keys,
        entry.subjectId,
        entry.keyId,
        unwrapSubjectKey(keys, entry.subjectId, entry).export(),
      ),
    }));
  const rewrapped = replacements.length === 0 ? 0 : await store.replaceWrappedKeys(replacements);
  return {
    rewrapped,
    alreadyCurrent: entries.length - replacements.length,
    changedConcurrently: replacements.length - rewrapped,
    next: entries.length < page.limit ? undefined : entries.at(-1)?.subjectId,
  };
}
