/**
 * Checks of call arguments shared by core's factories and services. TypeScript types do not
 * reach JavaScript callers or values cast from untyped input, so each public entry point checks
 * what it reads before using it. Each check returns issues that name the argument path and what
 * is expected, never the value: values can be patient data or secrets.
 *
 * @packageDocumentation
 */
import { ValidationError, type ErrorIssue } from './errors.js';

/**
 * Throws a {@link ValidationError} for `operation` when `issues` is not empty.
 *
 * @throws {@link ValidationError} listing the issues.
 * @example
 * ```ts
 * throwIfIssues('advance', finiteNumberIssues(ms, 'ms', 0));
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
 * Whether `value` is an object whose fields can be read: not `null`, not an array.
 *
 * @example
 * ```ts
 * isRecord({ level: 'info' }); // true
 * isRecord([]); // false
 * ```
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The issue of an argument that must be an object (not `null`, not an array), if it is not one.
 *
 * @param expected - what the object holds, for the message, such as `'a query and connect function'`.
 * @example
 * ```ts
 * recordIssues(options, 'options', 'the options'); // []
 * ```
 */
export function recordIssues(value: unknown, path: string, expected = 'fields'): ErrorIssue[] {
  return isRecord(value) ? [] : [{ path, message: `must be an object with ${expected}` }];
}

/**
 * The issue of an optional options argument: left out, or an object.
 *
 * @example
 * ```ts
 * optionalRecordIssues(undefined, 'options'); // []
 * ```
 */
export function optionalRecordIssues(value: unknown, path: string): ErrorIssue[] {
  return value === undefined || isRecord(value)
    ? []
    : [{ path, message: 'must be an object or be left out' }];
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

/**
 * The issue of an argument that must be a function, if it is not one.
 *
 * @example
 * ```ts
 * functionIssues(callback, 'callback'); // [] for a function
 * ```
 */
export function functionIssues(value: unknown, path: string): ErrorIssue[] {
  return typeof value === 'function' ? [] : [{ path, message: 'must be a function' }];
}

/**
 * The issue of an optional argument that must be a function when given.
 *
 * @example
 * ```ts
 * optionalFunctionIssues(options.generateId, 'options.generateId'); // [] when left out
 * ```
 */
export function optionalFunctionIssues(value: unknown, path: string): ErrorIssue[] {
  return value === undefined ? [] : functionIssues(value, path);
}

/**
 * The issue of an optional argument that must be a boolean when given.
 *
 * @example
 * ```ts
 * optionalBooleanIssues(options.background, 'options.background'); // [] when left out
 * ```
 */
export function optionalBooleanIssues(value: unknown, path: string): ErrorIssue[] {
  return value === undefined || typeof value === 'boolean'
    ? []
    : [{ path, message: 'must be true, false or be left out' }];
}

/**
 * The issue of a number argument, if it is not a finite number from `min` to `max`. `NaN`,
 * `Infinity`, numeric strings and BigInts are refused.
 *
 * @example
 * ```ts
 * numberIssues(ms, 'ms', 0); // [] for 0 or any larger finite number
 * ```
 */
export function numberIssues(
  value: unknown,
  path: string,
  min = -Number.MAX_VALUE,
  max = Number.MAX_VALUE,
): ErrorIssue[] {
  if (typeof value === 'number' && value >= min && value <= max) return [];
  const range =
    min === -Number.MAX_VALUE && max === Number.MAX_VALUE
      ? 'a finite number'
      : max === Number.MAX_VALUE
        ? `a finite number of ${min} or more`
        : `a number from ${min} to ${max}`;
  return [{ path, message: `must be ${range}` }];
}

/**
 * The issue of a count argument, if it is not an integer from `min` to `max`.
 *
 * @example
 * ```ts
 * integerIssues(poolBytes, 'poolBytes', 1, 65_536); // [] for 4096
 * ```
 */
export function integerIssues(
  value: unknown,
  path: string,
  min: number,
  max: number,
): ErrorIssue[] {
  return Number.isInteger(value) && (value as number) >= min && (value as number) <= max
    ? []
    : [{ path, message: `must be an integer from ${min} to ${max}` }];
}

/** The first and last instants a `Date` can hold, in milliseconds since the epoch. */
const MAX_DATE_MS = 8.64e15;

/**
 * The issue of an instant argument, if it is neither a finite number of milliseconds nor a valid
 * `Date`, or lies outside what a `Date` can hold.
 *
 * @example
 * ```ts
 * instantIssues(new Date('2026-03-01T09:00:00Z'), 'time'); // []
 * instantIssues(new Date(Number.NaN), 'time'); // one issue
 * ```
 */
export function instantIssues(value: unknown, path: string): ErrorIssue[] {
  const ms = value instanceof Date ? value.getTime() : value;
  return typeof ms === 'number' && ms >= -MAX_DATE_MS && ms <= MAX_DATE_MS
    ? []
    : [
        {
          path,
          message: `must be a valid Date or a number of milliseconds from -${MAX_DATE_MS} to ${MAX_DATE_MS}`,
        },
      ];
}
