import { createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { fieldContextIssues, stringIssues, throwIfIssues } from './argument-checks.js';
import { createBlindIndex, type BlindIndex, type BlindIndexOptions } from './blind-index.js';
import {
  openEnvelope,
  parseEnvelope,
  sealEnvelope,
  type Envelope,
  type FieldContext,
} from './envelope.js';
import {
  EncryptionKeyConfigError,
  SubjectKeyShreddedError,
  UnknownEncryptionKeyError,
} from './errors.js';
import { KEY_LENGTH_BYTES, type KeyProvider } from './key-provider.js';
import type { SubjectKeyRecord, SubjectKeyStore } from './subject-key-store.js';

const SUBJECT_KEY_TABLE = 'carequeue.subject_keys';

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
   * subject's data key (created on first use), so {@link FieldEncryptor.shredSubject} can erase it.
   *
   * @throws {@link EncryptionKeyConfigError} when `subjectId` is given but no `subjectKeys` store was.
   * @throws `ValidationError` naming the argument when `plaintext` is not a string or `context`
   * is not a {@link FieldContext} (such as `null`).
   */
  encrypt(plaintext: string, context: FieldContext): Promise<string>;
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
  /** Whether the value is sealed under a master key other than the current one. */
  needsRotation(ciphertext: string): boolean;
  /** Decrypts and re-encrypts the value under the current key (with a fresh IV). */
  rotate(ciphertext: string, context: FieldContext): Promise<string>;
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
 *   subjectKeys: createMemorySubjectKeyStore(),
 *   blindIndex: { key: process.env.BLIND_INDEX_KEY! },
 * });
 * const field = { table: 'patients', column: 'ssn', rowId: patientId, subjectId: patientId };
 * const stored = await encryptor.encrypt('123-45-6789', field);
 * await encryptor.decrypt(stored, field); // '123-45-6789'
 * ```
 */
export function createFieldEncryptor(options: FieldEncryptorOptions): FieldEncryptor {
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

  function masterKey(keyId: string): KeyObject {
    const key = keys.getKey(keyId);
    if (!key) throw new UnknownEncryptionKeyError(keyId);
    return key;
  }

  function subjectKeyContext(subjectId: string, keyId: string): FieldContext {
    return { table: SUBJECT_KEY_TABLE, column: 'data_key', rowId: `${subjectId}/${keyId}` };
  }

  function unwrapSubjectKey(subjectId: string, record: SubjectKeyRecord): KeyObject {
    const envelope = parseEnvelope(record.wrappedKey);
    const bytes = openEnvelope(
      envelope,
      masterKey(envelope.keyRef),
      subjectKeyContext(subjectId, record.keyId),
    );
    return createSecretKey(bytes);
  }

  async function subjectKeyForWriting(
    subjectId: string,
  ): Promise<{ keyId: string; key: KeyObject }> {
    const store = requireSubjectStore();
    let record = await store.get(subjectId);
    if (!record) {
      const keyId = randomBytes(12).toString('base64url');
      const wrappedKey = sealEnvelope(
        'k',
        keys.currentKeyId,
        masterKey(keys.currentKeyId),
        randomBytes(KEY_LENGTH_BYTES),
        subjectKeyContext(subjectId, keyId),
      );
      record = await store.createIfAbsent(subjectId, { keyId, wrappedKey });
    }
    return { keyId: record.keyId, key: unwrapSubjectKey(subjectId, record) };
  }

  async function keyForReading(envelope: Envelope, context: FieldContext): Promise<KeyObject> {
    if (envelope.mode === 'k') return masterKey(envelope.keyRef);
    const record =
      context.subjectId === undefined
        ? undefined
        : await requireSubjectStore().get(context.subjectId);
    if (!record || record.keyId !== envelope.keyRef || context.subjectId === undefined) {
      throw new SubjectKeyShreddedError();
    }
    return unwrapSubjectKey(context.subjectId, record);
  }

  async function encrypt(plaintext: string, context: FieldContext): Promise<string> {
    throwIfIssues('encrypt', [
      ...stringIssues(plaintext, 'plaintext'),
      ...fieldContextIssues(context, 'context'),
    ]);
    const bytes = Buffer.from(plaintext, 'utf8');
    if (context.subjectId === undefined) {
      return sealEnvelope('k', keys.currentKeyId, masterKey(keys.currentKeyId), bytes, context);
    }
    const subjectKey = await subjectKeyForWriting(context.subjectId);
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
    needsRotation(ciphertext) {
      throwIfIssues('needsRotation', stringIssues(ciphertext, 'ciphertext'));
      const envelope = parseEnvelope(ciphertext);
      return envelope.mode === 'k' && envelope.keyRef !== keys.currentKeyId;
    },
    async rotate(ciphertext, context) {
      return encrypt(await decrypt(ciphertext, context), context);
    },
    blindIndex,
    async shredSubject(subjectId) {
      await requireSubjectStore().destroy(subjectId);
    },
  };
}
