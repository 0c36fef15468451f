/**
 * How a subject's data key is sealed under a master key ("wrapped") and opened again. Shared by
 * the field encryptor, which wraps new keys and unwraps them to read, and by the re-wrapping of
 * stored keys when the master key rotates.
 *
 * @packageDocumentation
 */
import { createSecretKey, type KeyObject } from 'node:crypto';
import { openEnvelope, parseEnvelope, sealEnvelope, type FieldContext } from './envelope.js';
import { UnknownEncryptionKeyError } from './errors.js';
import type { KeyProvider } from './key-provider.js';
import type { SubjectKeyRecord } from './subject-key-store.js';

const SUBJECT_KEY_TABLE = 'carequeue.subject_keys';

/**
 * The master key with this id.
 *
 * @throws {@link UnknownEncryptionKeyError} when the provider does not hold it.
 * @example
 * ```ts
 * const key = masterKeyOf(keys, keys.currentKeyId);
 * ```
 */
export function masterKeyOf(keys: KeyProvider, keyId: string): KeyObject {
  const key = keys.getKey(keyId);
  if (!key) throw new UnknownEncryptionKeyError(keyId);
  return key;
}

// The wrapped key is bound to its subject and key id, so a wrapped key moved to another subject
// or given another key id fails to open.
function wrappingContext(subjectId: string, keyId: string): FieldContext {
  return { table: SUBJECT_KEY_TABLE, column: 'data_key', rowId: `${subjectId}/${keyId}` };
}

/**
 * Seals the data key `dataKey` of `subjectId` under the current master key.
 *
 * @example
 * ```ts
 * const wrappedKey = wrapSubjectKey(keys, subjectId, keyId, randomBytes(32));
 * ```
 */
export function wrapSubjectKey(
  keys: KeyProvider,
  subjectId: string,
  keyId: string,
  dataKey: Uint8Array,
): string {
  return sealEnvelope(
    'k',
    keys.currentKeyId,
    masterKeyOf(keys, keys.currentKeyId),
    dataKey,
    wrappingContext(subjectId, keyId),
  );
}

/**
 * Opens the stored data key of `subjectId` with the master key its envelope names.
 *
 * @throws {@link UnknownEncryptionKeyError} when that master key is not held.
 * @throws {@link DecryptionFailedError} when the wrapped key is malformed, altered or moved.
 * @example
 * ```ts
 * const dataKey = unwrapSubjectKey(keys, subjectId, record);
 * ```
 */
export function unwrapSubjectKey(
  keys: KeyProvider,
  subjectId: string,
  record: SubjectKeyRecord,
): KeyObject {
  const envelope = parseEnvelope(record.wrappedKey);
  const bytes = openEnvelope(
    envelope,
    masterKeyOf(keys, envelope.keyRef),
    wrappingContext(subjectId, record.keyId),
  );
  return createSecretKey(bytes);
}

/**
 * Whether a stored data key is wrapped under a master key other than the current one.
 *
 * @throws {@link DecryptionFailedError} (reason `malformed`) when the wrapped key is not an envelope.
 * @example
 * ```ts
 * if (wrappedUnderOldKey(keys, record)) queueForRewrap(subjectId);
 * ```
 */
export function wrappedUnderOldKey(keys: KeyProvider, record: SubjectKeyRecord): boolean {
  return parseEnvelope(record.wrappedKey).keyRef !== keys.currentKeyId;
}
