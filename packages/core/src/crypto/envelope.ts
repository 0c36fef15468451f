import { createCipheriv, createDecipheriv, KeyObject, randomBytes } from 'node:crypto';
import { isRecord, stringIssues, throwIfIssues } from '../argument-checks.js';
import type { ErrorIssue } from '../errors.js';
import { fieldContextIssues } from './argument-checks.js';
import { DecryptionFailedError } from './errors.js';

/** Version tag that starts every envelope; a new format gets a new tag and old ones still parse. */
export const ENVELOPE_VERSION = 'cq1';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const SEGMENT_PATTERN = /^[A-Za-z0-9_-]+$/;

/**
 * Which key sealed an envelope: `k` a master key of the {@link KeyProvider}, `s` a per-subject
 * data key.
 *
 * @example
 * ```ts
 * const mode: EnvelopeMode = 'k';
 * ```
 */
export type EnvelopeMode = 'k' | 's';

/**
 * Where an encrypted value lives. It is bound into the ciphertext as AES-GCM additional data, so a
 * value copied to another table, column, row or subject fails to decrypt.
 *
 * @example
 * ```ts
 * const field: FieldContext = { table: 'patients', column: 'ssn', rowId: patientId, subjectId: patientId };
 * ```
 */
export interface FieldContext {
  readonly table: string;
  readonly column: string;
  readonly rowId: string;
  /** The data subject (usually the patient id) whose own data key encrypts the value, if any. */
  readonly subjectId?: string;
}

/**
 * The parsed header and body of an envelope.
 *
 * @example
 * ```ts
 * parseEnvelope(ciphertext).keyRef; // 'k2'
 * ```
 */
export interface Envelope {
  readonly mode: EnvelopeMode;
  /** Master key id (mode `k`) or subject data key id (mode `s`). */
  readonly keyRef: string;
  readonly iv: Buffer;
  /** Ciphertext followed by the 16-byte GCM tag. */
  readonly sealed: Buffer;
}

/** The length of an AES-256 key in bytes. */
const AES_256_KEY_BYTES = 32;

function modeIssues(mode: unknown, path: string): ErrorIssue[] {
  return mode === 'k' || mode === 's' ? [] : [{ path, message: 'must be k or s' }];
}

function keyRefIssues(keyRef: unknown, path: string): ErrorIssue[] {
  return typeof keyRef === 'string' && SEGMENT_PATTERN.test(keyRef)
    ? []
    : [{ path, message: 'must be a key id of base64url characters' }];
}

function aesKeyIssues(key: unknown): ErrorIssue[] {
  return key instanceof KeyObject &&
    key.type === 'secret' &&
    key.symmetricKeySize === AES_256_KEY_BYTES
    ? []
    : [{ path: 'key', message: 'must be a secret KeyObject of 32 bytes' }];
}

function envelopeIssues(envelope: unknown): ErrorIssue[] {
  if (!isRecord(envelope)) {
    return [{ path: 'envelope', message: 'must be an envelope returned by parseEnvelope' }];
  }
  const { iv, sealed } = envelope;
  return [
    ...modeIssues(envelope['mode'], 'envelope.mode'),
    ...keyRefIssues(envelope['keyRef'], 'envelope.keyRef'),
    ...(iv instanceof Uint8Array && iv.length === IV_BYTES
      ? []
      : [{ path: 'envelope.iv', message: `must be a Buffer of ${IV_BYTES} bytes` }]),
    ...(sealed instanceof Uint8Array && sealed.length >= TAG_BYTES
      ? []
      : [{ path: 'envelope.sealed', message: `must be a Buffer of at least ${TAG_BYTES} bytes` }]),
  ];
}

function additionalData(mode: EnvelopeMode, keyRef: string, context: FieldContext): Buffer {
  // A JSON array is unambiguous, unlike joining with a separator that the parts may contain.
  return Buffer.from(
    JSON.stringify([
      ENVELOPE_VERSION,
      mode,
      keyRef,
      context.table,
      context.column,
      context.rowId,
      context.subjectId ?? null,
    ]),
    'utf8',
  );
}

/**
 * Encrypts `plaintext` with AES-256-GCM under `key` and returns the envelope text
 * `cq1.<mode>.<keyRef>.<iv>.<ciphertext+tag>` (base64url parts).
 *
 * @example
 * ```ts
 * const text = sealEnvelope('k', 'k2', key, '123-45-6789', { table: 'patients', column: 'ssn', rowId });
 * ```
 * @throws `ValidationError` naming the argument when `mode` is not `k` or `s`, `keyRef` is not a
 * key id of base64url characters, `key` is not a 32-byte secret `KeyObject`, `plaintext` is not a
 * `Uint8Array` or `context` is not a {@link FieldContext}.
 */
export function sealEnvelope(
  mode: EnvelopeMode,
  keyRef: string,
  key: KeyObject,
  plaintext: Uint8Array,
  context: FieldContext,
): string {
  throwIfIssues('sealEnvelope', [
    ...modeIssues(mode, 'mode'),
    ...keyRefIssues(keyRef, 'keyRef'),
    ...aesKeyIssues(key),
    ...(plaintext instanceof Uint8Array
      ? []
      : [{ path: 'plaintext', message: 'must be a Uint8Array' }]),
    ...fieldContextIssues(context, 'context'),
  ]);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(additionalData(mode, keyRef, context));
  const sealed = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return [
    ENVELOPE_VERSION,
    mode,
    keyRef,
    iv.toString('base64url'),
    sealed.toString('base64url'),
  ].join('.');
}

/**
 * Parses an envelope without decrypting it.
 *
 * @throws {@link DecryptionFailedError} (reason `malformed`) when the text is not an envelope.
 * @throws `ValidationError` naming the argument when `text` is not a string.
 * @example
 * ```ts
 * if (parseEnvelope(stored).keyRef !== keys.currentKeyId) queueForRotation(rowId);
 * ```
 */
export function parseEnvelope(text: string): Envelope {
  throwIfIssues('parseEnvelope', stringIssues(text, 'text'));
  const parts = text.split('.');
  const [version, mode, keyRef, iv, sealed] = parts;
  if (
    parts.length !== 5 ||
    version !== ENVELOPE_VERSION ||
    (mode !== 'k' && mode !== 's') ||
    !parts.every((part) => SEGMENT_PATTERN.test(part))
  ) {
    throw new DecryptionFailedError('malformed');
  }
  const ivBytes = Buffer.from(iv as string, 'base64url');
  const sealedBytes = Buffer.from(sealed as string, 'base64url');
  if (ivBytes.length !== IV_BYTES || sealedBytes.length < TAG_BYTES) {
    throw new DecryptionFailedError('malformed');
  }
  return { mode, keyRef: keyRef as string, iv: ivBytes, sealed: sealedBytes };
}

/**
 * Decrypts a parsed envelope with `key`, checking the GCM tag over the ciphertext and the context.
 *
 * @throws {@link DecryptionFailedError} (reason `authentication`) when the tag does not match.
 * @throws `ValidationError` naming the argument when `envelope` is not a parsed envelope, `key`
 * is not a 32-byte secret `KeyObject` or `context` is not a {@link FieldContext}.
 * @example
 * ```ts
 * const plaintext = openEnvelope(parseEnvelope(text), key, context).toString('utf8');
 * ```
 */
export function openEnvelope(envelope: Envelope, key: KeyObject, context: FieldContext): Buffer {
  throwIfIssues('openEnvelope', [
    ...envelopeIssues(envelope),
    ...aesKeyIssues(key),
    ...fieldContextIssues(context, 'context'),
  ]);
  const body = envelope.sealed.subarray(0, envelope.sealed.length - TAG_BYTES);
  const tag = envelope.sealed.subarray(envelope.sealed.length - TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, envelope.iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(additionalData(envelope.mode, envelope.keyRef, context));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch (error: unknown) {
    throw new DecryptionFailedError('authentication', { cause: error });
  }
}
