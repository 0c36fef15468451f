/**
 * Shape checks for the arguments of the field encryptor. TypeScript types do not reach
 * JavaScript callers or values cast from untyped rows, and without these checks a `null`
 * surfaced as a raw `TypeError`, and a circular object in a context field as a stack or
 * `JSON.stringify` failure. Errors name the argument path and never its value: plaintexts and
 * row ids are patient data.
 *
 * @packageDocumentation
 */
import type { ErrorIssue } from '../errors.js';

const CONTEXT_FIELDS = ['table', 'column', 'rowId'] as const;

/**
 * The issues of a {@link FieldContext}-shaped argument: an object whose `table`, `column` and
 * `rowId` are strings and whose `subjectId`, when present, is a string.
 *
 * @example
 * ```ts
 * fieldContextIssues({ table: 'patients', column: 'ssn', rowId }, 'context'); // []
 * ```
 */
export function fieldContextIssues(context: unknown, path: string): ErrorIssue[] {
  if (typeof context !== 'object' || context === null) {
    return [{ path, message: 'must be an object with table, column and rowId strings' }];
  }
  const fields = context as Record<string, unknown>;
  const issues: ErrorIssue[] = CONTEXT_FIELDS.filter(
    (field) => typeof fields[field] !== 'string',
  ).map((field) => ({ path: `${path}.${field}`, message: 'must be a string' }));
  if (fields['subjectId'] !== undefined && typeof fields['subjectId'] !== 'string') {
    issues.push({ path: `${path}.subjectId`, message: 'must be a string or be left out' });
  }
  return issues;
}

/**
 * The issues of an `EncryptOptions`-shaped argument: an object whose `createSubjectKey`, when
 * present, is a boolean.
 *
 * @example
 * ```ts
 * encryptOptionsIssues({ createSubjectKey: false }, 'options'); // []
 * ```
 */
export function encryptOptionsIssues(options: unknown, path: string): ErrorIssue[] {
  if (typeof options !== 'object' || options === null) {
    return [{ path, message: 'must be an object or be left out' }];
  }
  const createSubjectKey = (options as Record<string, unknown>)['createSubjectKey'];
  return createSubjectKey === undefined || typeof createSubjectKey === 'boolean'
    ? []
    : [{ path: `${path}.createSubjectKey`, message: 'must be a boolean or be left out' }];
}

const SUBJECT_ID_MAX_LENGTH = 256;
const KEY_ID_MAX_LENGTH = 64;
const WRAPPED_KEY_MAX_LENGTH = 1024;
const PAGE_LIMIT_MAX = 1000;

function boundedStringIssues(value: unknown, path: string, maxLength: number): ErrorIssue[] {
  return typeof value === 'string' && value.length >= 1 && value.length <= maxLength
    ? []
    : [{ path, message: `must be a string of 1 to ${maxLength} characters` }];
}

/**
 * The issue of a subject id argument of a subject key store: a string of 1 to 256 characters.
 *
 * @example
 * ```ts
 * subjectIdIssues(patientId, 'subjectId'); // []
 * ```
 */
export function subjectIdIssues(value: unknown, path: string): ErrorIssue[] {
  return boundedStringIssues(value, path, SUBJECT_ID_MAX_LENGTH);
}

/**
 * The issues of a `SubjectKeyRecord`-shaped argument: a `keyId` of 1 to 64 characters and a
 * `wrappedKey` of 1 to 1024.
 *
 * @example
 * ```ts
 * subjectKeyRecordIssues({ keyId, wrappedKey }, 'record'); // []
 * ```
 */
export function subjectKeyRecordIssues(value: unknown, path: string): ErrorIssue[] {
  if (typeof value !== 'object' || value === null) {
    return [{ path, message: 'must be an object with keyId and wrappedKey strings' }];
  }
  const record = value as Record<string, unknown>;
  return [
    ...boundedStringIssues(record['keyId'], `${path}.keyId`, KEY_ID_MAX_LENGTH),
    ...boundedStringIssues(record['wrappedKey'], `${path}.wrappedKey`, WRAPPED_KEY_MAX_LENGTH),
  ];
}

/**
 * The issues of a page of a subject key listing: `after` a subject id or left out, `limit` an
 * integer from 1 to 1000.
 *
 * @example
 * ```ts
 * subjectKeyListPageIssues({ limit: 100 }, 'page'); // []
 * ```
 */
export function subjectKeyListPageIssues(value: unknown, path: string): ErrorIssue[] {
  if (typeof value !== 'object' || value === null) {
    return [{ path, message: 'must be an object with a limit and an optional after' }];
  }
  return [
    ...optionalSubjectIdIssues((value as Record<string, unknown>)['after'], `${path}.after`),
    ...pageLimitIssues((value as Record<string, unknown>)['limit'], `${path}.limit`),
  ];
}

/**
 * The issue of an optional subject id (a cursor), if it is neither left out nor a subject id.
 *
 * @example
 * ```ts
 * optionalSubjectIdIssues(undefined, 'options.after'); // []
 * ```
 */
export function optionalSubjectIdIssues(value: unknown, path: string): ErrorIssue[] {
  return value === undefined ? [] : subjectIdIssues(value, path);
}

/**
 * The issue of a page size, if it is not an integer from 1 to 1000.
 *
 * @example
 * ```ts
 * pageLimitIssues(100, 'page.limit'); // []
 * ```
 */
export function pageLimitIssues(value: unknown, path: string): ErrorIssue[] {
  return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= PAGE_LIMIT_MAX
    ? []
    : [{ path, message: `must be an integer from 1 to ${PAGE_LIMIT_MAX}` }];
}

/**
 * The issues of the replacements of `SubjectKeyStore.replaceWrappedKeys`: an array of at most
 * 1000 objects, each with a subject id, the `expected` record and the new `wrappedKey`.
 *
 * @example
 * ```ts
 * subjectKeyReplacementsIssues([{ subjectId, expected, wrappedKey }], 'replacements'); // []
 * ```
 */
export function subjectKeyReplacementsIssues(value: unknown, path: string): ErrorIssue[] {
  if (!Array.isArray(value) || value.length > PAGE_LIMIT_MAX) {
    return [{ path, message: `must be an array of at most ${PAGE_LIMIT_MAX} replacements` }];
  }
  return (value as unknown[]).flatMap((item, index) => {
    const itemPath = `${path}[${index}]`;
    if (typeof item !== 'object' || item === null) {
      return [
        { path: itemPath, message: 'must be an object with subjectId, expected and wrappedKey' },
      ];
    }
    const replacement = item as Record<string, unknown>;
    return [
      ...subjectIdIssues(replacement['subjectId'], `${itemPath}.subjectId`),
      ...subjectKeyRecordIssues(replacement['expected'], `${itemPath}.expected`),
      ...boundedStringIssues(
        replacement['wrappedKey'],
        `${itemPath}.wrappedKey`,
        WRAPPED_KEY_MAX_LENGTH,
      ),
    ];
  });
}
