/**
 * Shape checks for the arguments of the field encryptor. TypeScript types do not reach
 * JavaScript callers or values cast from untyped rows, and without these checks a `null`
 * surfaced as a raw `TypeError`, and a circular object in a context field as a stack or
 * `JSON.stringify` failure. Errors name the argument path and never its value: plaintexts and
 * row ids are patient data.
 *
 * @packageDocumentation
 */
import { ValidationError, type ErrorIssue } from '../errors.js';

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
 * Throws a {@link ValidationError} for `operation` when `issues` is not empty.
 *
 * @throws {@link ValidationError} listing the issues.
 * @example
 * ```ts
 * throwIfIssues('encrypt', fieldContextIssues(context, 'context'));
 * ```
 */
export function throwIfIssues(operation: string, issues: readonly ErrorIssue[]): void {
  if (issues.length === 0) return;
  throw new ValidationError(
    `The arguments of ${operation} are invalid. Fix the arguments listed in issues.`,
    issues,
  );
}

/**
 * The issue of an argument that must be a string, if it is not one.
 *
 * @example
 * ```ts
 * stringIssues(plaintext, 'plaintext'); // [] for a string
 * ```
 */
export function stringIssues(value: unknown, path: string): ErrorIssue[] {
  return typeof value === 'string' ? [] : [{ path, message: 'must be a string' }];
}
