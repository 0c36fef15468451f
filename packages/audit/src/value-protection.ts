import {
  Appointment,
  Clinic,
  Invitation,
  Patient,
  QueueEntry,
  Staff,
  taggedFieldNames,
} from '@carequeue/core';
import type { FieldEncryptor } from '@carequeue/core/crypto';
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
import { jsonbTextOf } from './jsonb-text.js';

/**
 * The key of the marker that replaces a protected field stored encrypted:
 * `{ "$encrypted": "<envelope>" }`.
 *
 * @example
 * ```ts
 * const stored = event.newValue as Record<string, unknown>;
 * typeof (stored.givenName as Record<string, unknown>)[ENCRYPTED_MARKER]; // 'string'
 * ```
 */
export const ENCRYPTED_MARKER = '$encrypted';

/**
 * The key of the marker that replaces a protected field that could not be encrypted:
 * `{ "$redacted": true }`.
 *
 * @example
 * ```ts
 * protectedValue.email; // { $redacted: true }
 * ```
 */
export const REDACTED_MARKER = '$redacted';

/**
 * The names of the fields tagged as PHI in core's model schemas (patient, staff, appointment,
 * invitation, queue entry, clinic). Old and new values never hold these in clear.
 *
 * @example
 * ```ts
 * DEFAULT_PROTECTED_FIELDS.has('givenName'); // true
 * ```
 */
export const DEFAULT_PROTECTED_FIELDS: ReadonlySet<string> = taggedFieldNames([
  Patient,
  Staff,
  Appointment,
  Invitation,
  QueueEntry,
  Clinic,
]);

/**
 * The names of metadata entries that hold free text (a stated reason, a note, a comment). Text a
 * person typed can identify a patient, so in an event about a patient these entries are stored
 * like protected old and new value fields: encrypted under the patient's key (crypto-shredding
 * erases them) or redacted without an encryptor. Where a code will do (a cancellation reason,
 * say), record the code under another name instead.
 *
 * @example
 * ```ts
 * FREE_TEXT_FIELDS.has('reason'); // true
 * ```
 */
export const FREE_TEXT_FIELDS: ReadonlySet<string> = new Set([
  'reason',
  'note',
  'notes',
  'comment',
  'comments',
  'description',
  'details',
  'message',
  'text',
  'freeText',
]);

/**
 * How to protect one old or new value (or the metadata) of an event.
 *
 * @example
 * ```ts
 * const options: ValueProtectionOptions = {
 *   protectedFields: DEFAULT_PROTECTED_FIELDS, eventId, column: 'new_value', subjectId: patientId, encryptor,
 * };
 * ```
 */
export interface ValueProtectionOptions {
  readonly protectedFields: ReadonlySet<string>;
  readonly eventId: string;
  /** The column the value is stored in; it is bound into each ciphertext. */
  readonly column: AuditValueColumn;
  /** The data subject whose key encrypts the fields; without it fields are redacted. */
  readonly subjectId?: string | null;
  /** Without an encryptor protected fields are redacted. */
  readonly encryptor?: FieldEncryptor;
}

function fieldSetIssues(value: unknown, path: string): ErrorIssue[] {
  return portIssues(value, path, 'a set of field names', ['has']);
}

// The options of protectValue: the field names to protect, where the value goes, and whose key.
function protectionOptionsIssues(value: unknown, path: string): ErrorIssue[] {
  if (!isRecord(value)) return objectIssues(value, path);
  return [
    ...fieldSetIssues(value['protectedFields'], `${path}.protectedFields`),
    ...textIssues(value['eventId'], `${path}.eventId`, { nonEmpty: true, max: 256 }),
    ...oneOfIssues(value['column'], `${path}.column`, ['old_value', 'new_value', 'metadata']),
    ...textIssues(value['subjectId'], `${path}.subjectId`, {
      optional: true,
      nullable: true,
      max: 256,
    }),
    ...portIssues(value['encryptor'], `${path}.encryptor`, 'a FieldEncryptor', ['encrypt'], {
      optional: true,
    }),
  ];
}
/**
 * The columns of an event whose protected fields are encrypted: the old and new values and the
 * metadata.
 *
 * @example
 * ```ts
 * const column: AuditValueColumn = 'metadata';
 * ```
 */
export type AuditValueColumn = 'old_value' | 'new_value' | 'metadata';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * Converts any value to the JSON it is stored as: dates as ISO text, big integers as text,
 * `undefined`, functions and symbols dropped (null inside arrays), non-finite numbers as null.
 *
 * @example
 * ```ts
 * toAuditJson({ at: new Date(0), skip: undefined }); // { at: '1970-01-01T00:00:00.000Z' }
 * ```
 */
export function toAuditJson(value: unknown): AuditJsonValue | undefined {
  checkArguments('toAuditJson', jsonIssues(value, 'value'));
  return jsonOf(value);
}

function jsonOf(value: unknown): AuditJsonValue | undefined {
  if (value === null) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((item: unknown) => jsonOf(item) ?? null);
  if (typeof value === 'object') {
    const result: Record<string, AuditJsonValue> = {};
    for (const [key, item] of Object.entries(value)) {
      const converted = jsonOf(item);
      if (converted !== undefined) result[key] = converted;
    }
    return result;
  }
  return undefined;
}

async function protectedField(
  value: AuditJsonValue,
  path: string,
  options: ValueProtectionOptions,
): Promise<AuditJsonValue> {
  if (!options.encryptor || !options.subjectId) return { [REDACTED_MARKER]: true };
  const ciphertext = await options.encryptor.encrypt(jsonbTextOf(value), {
    table: 'audit.events',
    column: `${options.column}.${path}`,
    rowId: options.eventId,
    subjectId: options.subjectId,
  });
  return { [ENCRYPTED_MARKER]: ciphertext };
}

async function protect(
  value: AuditJsonValue,
  path: string,
  options: ValueProtectionOptions,
): Promise<AuditJsonValue> {
  if (Array.isArray(value)) {
    return Promise.all(
      (value as readonly AuditJsonValue[]).map((item) => protect(item, `${path}[]`, options)),
    );
  }
  if (!isPlainObject(value)) return value;
  const result: Record<string, AuditJsonValue> = {};
  for (const [key, item] of Object.entries(value as Record<string, AuditJsonValue>)) {
    const itemPath = path === '' ? key : `${path}.${key}`;
    result[key] = options.protectedFields.has(key)
      ? await protectedField(item, itemPath, options)
      : await protect(item, itemPath, options);
  }
  return result;
}

/**
 * Converts a value to stored JSON with every protected field replaced by its ciphertext under
 * the subject's data key (`{ $encrypted }`) or, without an encryptor or subject, by a redaction
 * marker (`{ $redacted: true }`). The ciphertext is bound to the event id and field path.
 *
 * @example
 * ```ts
 * await protectValue({ givenName: 'Ada', status: 'active' }, options);
 * // { givenName: { $encrypted: 'cq1.s....' }, status: 'active' }
 * ```
 */
export async function protectValue(
  value: unknown,
  options: ValueProtectionOptions,
): Promise<AuditJsonValue | null> {
  checkArguments(
    'protectValue',
    jsonIssues(value, 'value'),
    protectionOptionsIssues(options, 'options'),
  );
  const json = jsonOf(value);
  if (json === undefined) return null;
  return protect(json, '', options);
}

function collectChanges(
  before: AuditJsonValue | undefined,
  after: AuditJsonValue | undefined,
  path: string,
  protectedFields: ReadonlySet<string>,
  changes: string[],
): void {
  const leaf = path !== '' && protectedFields.has(path.slice(path.lastIndexOf('.') + 1));
  if (!leaf && isPlainObject(before) && isPlainObject(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    for (const key of keys) {
      collectChanges(
        before[key],
        after[key],
        path === '' ? key : `${path}.${key}`,
        protectedFields,
        changes,
      );
    }
    return;
  }
  if (jsonbTextOf(before) !== jsonbTextOf(after)) changes.push(path === '' ? '$' : path);
}

/**
 * The dotted paths of the fields that differ between two values, sorted; `$` when a whole
 * non-object value changed. Computed on the plaintext, so it holds names only, never values.
 *
 * @example
 * ```ts
 * changedFieldPaths({ a: 1, b: { c: 2 } }, { a: 1, b: { c: 3 } }); // ['b.c']
 * ```
 */
export function changedFieldPaths(
  oldValue: unknown,
  newValue: unknown,
  protectedFields: ReadonlySet<string> = DEFAULT_PROTECTED_FIELDS,
): string[] {
  checkArguments(
    'changedFieldPaths',
    jsonIssues(oldValue, 'oldValue'),
    jsonIssues(newValue, 'newValue'),
    fieldSetIssues(protectedFields, 'protectedFields'),
  );
  const changes: string[] = [];
  collectChanges(jsonOf(oldValue) ?? null, jsonOf(newValue) ?? null, '', protectedFields, changes);
  return changes.sort();
}
