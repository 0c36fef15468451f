import { SubjectKeyShreddedError, type FieldEncryptor } from '@carequeue/core/crypto';
import type { ErrorIssue } from '@carequeue/core';
import {
  checkArguments,
  isRecord,
  jsonIssues,
  objectIssues,
  oneOfIssues,
  portIssues,
  textIssues,
} from './argument-checks.js';
import type { AuditJsonValue } from './audit-event.js';
import { ENCRYPTED_MARKER, type AuditValueColumn } from './value-protection.js';

/**
 * The key of the marker that replaces a protected field whose subject's data key was destroyed:
 * `{ "$erased": true }`.
 *
 * @example
 * ```ts
 * revealed.givenName; // { $erased: true } after the patient's erasure
 * ```
 */
export const ERASED_MARKER = '$erased';

/**
 * How to reveal one stored old or new value, or the metadata.
 *
 * @example
 * ```ts
 * const options: RevealOptions = { eventId: log.id, column: 'new_value', subjectId: log.patientId, encryptor };
 * ```
 */
export interface RevealOptions {
  readonly eventId: string;
  readonly column: AuditValueColumn;
  readonly subjectId: string | null;
  /** Without an encryptor every encrypted field becomes `{ $encrypted: true }`. */
  readonly encryptor?: FieldEncryptor;
}

// The options of revealValue: which event and column the value was stored in, and whose key.
function revealOptionsIssues(value: unknown, path: string): ErrorIssue[] {
  if (!isRecord(value)) return objectIssues(value, path);
  return [
    ...textIssues(value['eventId'], `${path}.eventId`, { nonEmpty: true, max: 256 }),
    ...oneOfIssues(value['column'], `${path}.column`, ['old_value', 'new_value', 'metadata']),
    ...textIssues(value['subjectId'], `${path}.subjectId`, {
      optional: true,
      nullable: true,
      max: 256,
    }),
    ...portIssues(value['encryptor'], `${path}.encryptor`, 'a FieldEncryptor', ['decrypt'], {
      optional: true,
    }),
  ];
}

function encryptedText(value: AuditJsonValue): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const record = value as { readonly [key: string]: AuditJsonValue };
  const keys = Object.keys(record);
  const text = record[ENCRYPTED_MARKER];
  return keys.length === 1 && typeof text === 'string' ? text : undefined;
}

async function reveal(
  value: AuditJsonValue,
  path: string,
  options: RevealOptions,
): Promise<AuditJsonValue> {
  const ciphertext = encryptedText(value);
  if (ciphertext !== undefined) {
    if (!options.encryptor || !options.subjectId) return { [ENCRYPTED_MARKER]: true };
    try {
      const plaintext = await options.encryptor.decrypt(ciphertext, {
        table: 'audit.events',
        column: `${options.column}.${path}`,
        rowId: options.eventId,
        subjectId: options.subjectId,
      });
      return JSON.parse(plaintext) as AuditJsonValue;
    } catch (error: unknown) {
      if (error instanceof SubjectKeyShreddedError) return { [ERASED_MARKER]: true };
      throw error;
    }
  }
  if (Array.isArray(value)) {
    return Promise.all(
      (value as readonly AuditJsonValue[]).map((item) => reveal(item, `${path}[]`, options)),
    );
  }
  if (typeof value !== 'object' || value === null) return value;
  const result: Record<string, AuditJsonValue> = {};
  for (const [key, item] of Object.entries(value as { readonly [key: string]: AuditJsonValue })) {
    result[key] = await reveal(item, path === '' ? key : `${path}.${key}`, options);
  }
  return result;
}

/**
 * Decrypts the protected fields of a stored old or new value (or metadata) for an authorized
 * reader. A field
 * whose subject was erased (crypto-shredded) becomes `{ $erased: true }`; without an encryptor
 * encrypted fields become `{ $encrypted: true }` (never the ciphertext).
 *
 * @throws {DecryptionFailedError} when a ciphertext was altered or moved to another event or field
 * @example
 * ```ts
 * const value = await revealValue(log.newValue, {
 *   eventId: log.id, column: 'new_value', subjectId: log.patientId, encryptor,
 * });
 * ```
 */
export async function revealValue(
  value: AuditJsonValue | null,
  options: RevealOptions,
): Promise<AuditJsonValue | null> {
  checkArguments(
    'revealValue',
    jsonIssues(value, 'value'),
    revealOptionsIssues(options, 'options'),
  );
  if (value === null) return null;
  return reveal(value, '', options);
}
