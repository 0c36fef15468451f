/**
 * Checks of the options a redactor is built from ({@link RedactorOptions}), shared by
 * `createRedactor` and `createLogger`.
 *
 * @packageDocumentation
 */
import type { z } from 'zod';
import {
  isRecord,
  optionalBooleanIssues,
  optionalRecordIssues,
  throwIfIssues,
} from '../argument-checks.js';
import type { RedactorOptions } from './redaction.js';

/** Redactor options whose iterables were read once into arrays, after every check passed. */
export interface CheckedRedactorOptions {
  readonly schemas: readonly z.core.$ZodType[];
  readonly redactKeys: readonly string[];
  readonly includeForeignErrorMessages: boolean | undefined;
}

function isSchema(value: unknown): value is z.core.$ZodType {
  return typeof value === 'object' && value !== null && '_zod' in value;
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

/** The items of an optional iterable option (an array, a Set...), or `undefined` if it is none. */
function itemsOf(value: unknown): unknown[] | undefined {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value as unknown[];
  if (
    isRecord(value) &&
    typeof (value as Partial<Iterable<unknown>>)[Symbol.iterator] === 'function'
  ) {
    return [...(value as unknown as Iterable<unknown>)];
  }
  return undefined;
}

/**
 * Checks `options` of `operation` and reads its iterables once, so a generator passed as
 * `redactKeys` is not consumed by the check.
 *
 * @throws `ValidationError` naming the option when `options` is not an object, `schemas` is not
 * an iterable of zod schemas, `redactKeys` not an iterable of strings, or
 * `includeForeignErrorMessages` not a boolean.
 * @example
 * ```ts
 * const { schemas, redactKeys } = checkedRedactorOptions('createLogger', options);
 * ```
 */
export function checkedRedactorOptions(
  operation: string,
  options: RedactorOptions,
): CheckedRedactorOptions {
  throwIfIssues(operation, optionalRecordIssues(options, 'options'));
  const schemas = itemsOf(options.schemas);
  const redactKeys = itemsOf(options.redactKeys);
  throwIfIssues(operation, [
    ...(schemas?.every(isSchema) === true
      ? []
      : [{ path: 'options.schemas', message: 'must be an array or iterable of zod schemas' }]),
    ...(redactKeys?.every(isString) === true
      ? []
      : [{ path: 'options.redactKeys', message: 'must be an array or iterable of strings' }]),
    ...optionalBooleanIssues(
      options.includeForeignErrorMessages,
      'options.includeForeignErrorMessages',
    ),
  ]);
  return {
    schemas: schemas as z.core.$ZodType[],
    redactKeys: redactKeys as string[],
    includeForeignErrorMessages: options.includeForeignErrorMessages,
  };
}
