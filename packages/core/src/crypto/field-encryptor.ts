import { randomBytes, type KeyObject } from 'node:crypto';
import { isRecord, stringIssues, throwIfIssues } from '../argument-checks.js';
import {
  encryptOptionsIssues,
  fieldContextIssues,
  optionalSubjectIdIssues,
  pageLimitIssues,
  subjectIdIssues,
  subjectKeyRecordIssues,
} from './argument-checks.js';
import { createBlindIndex, type BlindIndex, type BlindIndexOptions } from './blind-index.js';
import {
  openEnvelope,
  parseEnvelope,
  sealEnvelope,
  type Envelope,
  type FieldContext,
} from './envelope.js';
import { EncryptionKeyConfigError, SubjectKeyShreddedError } from './errors.js';
import { KEY_LENGTH_BYTES, type KeyProvider } from './key-provider.js';
import {
  DEFAULT_REWRAP_BATCH,
  rewrapSubjectKeyPage,
  type SubjectKeyRewrapOptions,
  type SubjectKeyRewrapResult,
} from './subject-key-rewrap.js';
import type { SubjectKeyRecord, SubjectKeyStore } from './subject-key-store.js';
import {
  masterKeyOf,
  unwrapSubjectKey,
  wrappedUnderOldKey,
  wrapSubjectKey,
} from './subject-key-wrapping.js';

/**
 * Options of {@link createFieldEncryptor}.
 *
 * @example
 * ```ts
 * const options: FieldEncryptorOptions = { keys: keyringFromConfig(config), subjectKeys: store };
 * ```
 */
export interface FieldEncryptorOptions {
  /** Master keys: the current one encrypts, every one held decrypts. */
  readonly keys: KeyProvider;
  /** Where per-subject data keys live. Required to encrypt values with a `subjectId`. */
  readonly subjectKeys?: SubjectKeyStore;
  /** Enables {@link FieldEncryptor.blindIndex}, with its own key. */
  readonly blindIndex?: BlindIndexOptions;
}

/**
 * Options of {@link FieldEncryptor.encrypt}.
 *
 * @example
 * ```ts
 * // A copy (a cache entry) must never bring a shredded subject's key back.
 * await encryptor.encrypt(text, { ...field, subjectId }, { createSubjectKey: false });
 * ```
 */
export interface EncryptOptions {
  /**
   * Creates the subject's data key when it has none. Pass `false` for copies of data that
   * already exists elsewhere (a cache entry): then a subject without a key (shredded, or never
   * given one) gets {@link SubjectKeyShreddedError} instead of a new key that shredding never
   * reached.
   * @default true
   */
  readonly createSubjectKey?: boolean;
}

/**
 * Encrypts sensitive fields (SSN-class) in the application before they reach any store.
 *
 * @example
 * ```ts
 * const ssn = await encryptor.encrypt('123-45-6789', { table: 'patients', column: 'ssn', rowId });
 * ```
 */
export interface FieldEncryptor {
  /**
   * Encrypts `plaintext` bound to `context`. With a `subjectId` the value is sealed under that
   * subject's data key (created on first use unless `options.createSubjectKey` is `false`), so
   * {@link FieldEncryptor.shredSubject} can erase it.
   *
   * @throws {@link EncryptionKeyConfigError} when `subjectId` is given but no `subjectKeys` store was.
   * @throws {@link SubjectKeyShreddedError} when `options.createSubjectKey` is `false` and the
   * subject has no data key.
   * @throws `ValidationError` naming the argument when `plaintext` is not a string, `context`
   * is not a {@link FieldContext} (such as `null`) or `options` is not {@link EncryptOptions}.
   */
  encrypt(plaintext: string, context: FieldContext, options?: EncryptOptions): Promise<string>;
  /**
   * Decrypts a value produced by {@link FieldEncryptor.encrypt} for the same context.
   *
   * @throws {@link DecryptionFailedError} when the value is malformed, altered, or from another context.
   * @throws {@link UnknownEncryptionKeyError} when its master key is not in the keyring.
   * @throws {@link SubjectKeyShreddedError} when its subject's data key was destroyed.
   * @throws `ValidationError` naming the argument when `ciphertext` is not a string or `context`
   * is not a {@link FieldContext}.
   */
  decrypt(ciphertext: string, context: FieldContext): Promise<string>;
  /**
   * Whether `stored` depends directly on a master key other than the current one: a `cq1.k.`
   * value (re-encrypt it with {@link FieldEncryptor.rotate}) or a subject's data key as its store
   * holds it (re-wrap it with {@link FieldEncryptor.rewrapSubjectKeys}). A `cq1.s.` value is
   * sealed under its subject's data key, which a master key rotation leaves unchanged, so it is
   * never reported: the master key reaches it through the data key's wrapping, which is why a
   * retired master key may leave the keyring only after every subject key was re-wrapped.
   *
   * @throws {@link DecryptionFailedError} (reason `malformed`) when the value or wrapped key is
   * not an envelope.
   * @throws `ValidationError` naming the argument when `stored` is neither a string nor a
   * {@link SubjectKeyRecord}.
   * @example
   * ```ts
   * if (encryptor.needsRotation(row.ssn)) row.ssn = await encryptor.rotate(row.ssn, field);
   * for (const entry of await subjectKeys.list({ limit: 100 })) {
   *   if (encryptor.needsRotation(entry)) pending += 1;
   * }
   * ```
   */
  needsRotation(stored: string | SubjectKeyRecord): boolean;
  /** Decrypts and re-encrypts the value under the current key (with a fresh IV). */
  rotate(ciphertext: string, context: FieldContext): Promise<string>;
  /**
   * Re-wraps one batch of stored subject data keys under the current master key, in subject id
   * order, and returns the cursor of the next batch. The data keys themselves, and so every
   * value sealed under them, stay the same. Each write is a compare-and-set against the record
   * the batch read, so a key erased meanwhile stays erased and a key changed meanwhile is left
   * to its writer; running the batch again, or several at once, is harmless.
   *
   * Rotating the master key: put the new key in every instance's keyring as `current` (keeping
   * the old one), re-encrypt `cq1.k.` values with {@link FieldEncryptor.rotate}, run batches
   * until `next` is `undefined` (persist `next` to resume after a stop), and only then remove
   * the old key from the keyring.
   *
   * @throws {@link EncryptionKeyConfigError} when no `subjectKeys` store was given.
   * @throws {@link UnknownEncryptionKeyError} when a key is wrapped under a master key the
   * keyring does not hold; nothing of that batch is written.
   * @throws `ValidationError` naming the option when `after` is not a subject id or `limit` not
   * an integer from 1 to 1000.
   * @example
   * ```ts
   * let after: string | undefined;
   * do {
   *   ({ next: after } = await encryptor.rewrapSubjectKeys({ after, limit: 500 }));
   * } while (after !== undefined);
   * ```
   */
  rewrapSubjectKeys(options?: SubjectKeyRewrapOptions): Promise<SubjectKeyRewrapResult>;
  /**
   * The blind index of `value` for equality lookups.
   *
   * @throws {@link EncryptionKeyConfigError} when no `blindIndex` option was given.
   */
  blindIndex: BlindIndex;
  /**
   * Destroys the subject's data key: every value encrypted for that subject becomes undecryptable.
   *
   * @throws {@link EncryptionKeyConfigError} when no `subjectKeys` store was given.
   * @throws `ValidationError` naming the argument, before the store is called, when `subjectId`
   * is not a string of 1 to 256 characters.
   */
  shredSubject(subjectId: string): Promise<void>;
}

/**
 * Creates a {@link FieldEncryptor}: AES-256-GCM envelopes bound to table, column and row, with
 * the key id inside each ciphertext so retired keys still decrypt, optional per-subject data keys
 * for crypto-shredding, and an optional keyed blind index.
 *
 * Envelope: `cq1.<mode>.<keyRef>.<iv>.<ciphertext+tag>`; `mode` is `k` (master key `keyRef`) or
 * `s` (subject data key `keyRef`); iv and body are base64url; the additional data is the JSON
 * array `["cq1", mode, keyRef, table, column, rowId, subjectId|null]`.
 *
 * @example
 * ```ts
 * const encryptor = createFieldEncryptor({
 *   keys: keyringFromConfig({ current: 'k2', keys: { k1: process.env.K1!, k2: process.env.K2! } }),
 *   subjectKeys: memorySubjectKeyStore(),
 *   blindIndex: { key: process.env.BLIND_INDEX_KEY! },
 * });
 * const field = { table: 'patients', column: 'ssn', rowId: patientId, subjectId: patientId };
 * const stored = await encryptor.encrypt('123-45-6789', field);
 * await encryptor.decrypt(stored, field); // '123-45-6789'
 * ```
 * @throws {@link EncryptionKeyConfigError} when `options` is not an object, `keys` is not a
 * keyring, or `subjectKeys` or `blindIndex` is given but not an object.
 */
export function createFieldEncryptor(options: FieldEncryptorOptions): FieldEncryptor {
  checkEncryptorOptions(options);
  const { keys, subjectKeys } = options;
  const blindIndex: BlindIndex = options.blindIndex
    ? createBlindIndex(options.blindIndex)
    : () => {
        throw new EncryptionKeyConfigError(
          'Blind indexes are not configured. Pass blindIndex: { key } to createFieldEncryptor.',
        );
      };

  function requireSubjectStore(): SubjectKeyStore {
    if (!subjectKeys) {
      throw new EncryptionKeyConfigError(
        'Per-subject encryption needs a key store. Pass subjectKeys to createFieldEncryptor.',
      );
    }
    return subjectKeys;
  }

  async function subjectKeyForWriting(
    subjectId: string,
    createSubjectKey: boolean,
  ): Promise<{ keyId: string; key: KeyObject }> {
    const store = requireSubjectStore();
    let record = await store.get(subjectId);
    if (!record && !createSubjectKey) throw new SubjectKeyShreddedError();
    if (!record) {
      const keyId = randomBytes(12).toString('base64url');
      const wrappedKey = wrapSubjectKey(keys, subjectId, keyId, randomBytes(KEY_LENGTH_BYTES));
      record = await store.createIfAbsent(subjectId, { keyId, wrappedKey });
    }
    return { keyId: record.keyId, key: unwrapSubjectKey(keys, subjectId, record) };
  }

  async function keyForReading(envelope: Envelope, context: FieldContext): Promise<KeyObject> {
    if (envelope.mode === 'k') return masterKeyOf(keys, envelope.keyRef);
    const record =
      context.subjectId === undefined
        ? undefined
        : await requireSubjectStore().get(context.subjectId);
    if (!record || record.keyId !== envelope.keyRef || context.subjectId === undefined) {
      throw new SubjectKeyShreddedError();
    }
    return unwrapSubjectKey(keys, context.subjectId, record);
  }

  async function encrypt(
    plaintext: string,
    context: FieldContext,
    options: EncryptOptions = {},
  ): Promise<string> {
    throwIfIssues('encrypt', [
      ...stringIssues(plaintext, 'plaintext'),
      ...fieldContextIssues(context, 'context'),
      ...encryptOptionsIssues(options, 'options'),
    ]);
    const bytes = Buffer.from(plaintext, 'utf8');
    if (context.subjectId === undefined) {
      return sealEnvelope(
        'k',
        keys.currentKeyId,
        masterKeyOf(keys, keys.currentKeyId),
        bytes,
        context,
      );
    }
    const subjectKey = await subjectKeyForWriting(
      context.subjectId,
      options.createSubjectKey !== false,
    );
    return sealEnvelope('s', subjectKey.keyId, subjectKey.key, bytes, context);
  }

  async function decrypt(ciphertext: string, context: FieldContext): Promise<string> {
    throwIfIssues('decrypt', [
      ...stringIssues(ciphertext, 'ciphertext'),
      ...fieldContextIssues(context, 'context'),
    ]);
    const envelope = parseEnvelope(ciphertext);
    const key = await keyForReading(envelope, context);
    return openEnvelope(envelope, key, context).toString('utf8');
  }

  return {
    encrypt,
    decrypt,
    needsRotation(stored) {
      if (typeof stored === 'object' && stored !== null) {
        throwIfIssues('needsRotation', subjectKeyRecordIssues(stored, 'stored'));
        return wrappedUnderOldKey(keys, stored);
      }
      throwIfIssues('needsRotation', stringIssues(stored, 'stored'));
      const envelope = parseEnvelope(stored);
      return envelope.mode === 'k' && envelope.keyRef !== keys.currentKeyId;
    },
    async rotate(ciphertext, context) {
      return encrypt(await decrypt(ciphertext, context), context);
    },
    async rewrapSubjectKeys(options = {}) {
      throwIfIssues(
        'rewrapSubjectKeys',
        typeof options === 'object' && options !== null
          ? [
              ...optionalSubjectIdIssues(options.after, 'options.after'),
              ...(options.limit === undefined
                ? []
                : pageLimitIssues(options.limit, 'options.limit')),
            ]
          : [{ path: 'options', message: 'must be an object or be left out' }],
      );
      return rewrapSubjectKeyPage(keys, requireSubjectStore(), {
        after: options.after,
        limit: options.limit ?? DEFAULT_REWRAP_BATCH,
      });
    },
    blindIndex,
    async shredSubject(subjectId) {
      throwIfIssues('shredSubject', subjectIdIssues(subjectId, 'subjectId'));
      await requireSubjectStore().destroy(subjectId);
    },
  };
}

/** Refuses options whose keyring, store or blind index settings cannot be used. */
function checkEncryptorOptions(options: FieldEncryptorOptions): void {
  if (!isRecord(options)) {
    throw new EncryptionKeyConfigError(
      'createFieldEncryptor options must be an object with a keys keyring.',
    );
  }
  const { keys, subjectKeys, blindIndex } = options;
  if (
    !isRecord(keys) ||
    typeof keys.currentKeyId !== 'string' ||
    typeof keys.getKey !== 'function'
  ) {
    throw new EncryptionKeyConfigError(
      'createFieldEncryptor options.keys must be a keyring with currentKeyId and getKey, such as keyringFromConfig(config).',
    );
  }
  if (subjectKeys !== undefined && !isRecord(subjectKeys)) {
    throw new EncryptionKeyConfigError(
      'createFieldEncryptor options.subjectKeys must be a SubjectKeyStore or be left out.',
    );
  }
  if (blindIndex !== undefined && !isRecord(blindIndex)) {
    throw new EncryptionKeyConfigError(
      'createFieldEncryptor options.blindIndex must be an object with a key or be left out.',
    );
  }
}
