/**
 * Checks of the options given to the factories of `@carequeue/audit` (stores, the log service,
 * the buffered writer, the spool, the archive sink, retention policies, the seal task). Each
 * factory refuses, when it is called, options that are not an object, a missing or wrong-typed
 * option and an option it does not know, with one {@link AuditConfigError} listing them. An
 * unknown option is refused rather than ignored because it is nearly always a misspelt one
 * (`flushIntervalMS`), and ignoring it would run the trail with a default the host did not choose.
 *
 * Internal: the package entry does not export this module.
 *
 * @packageDocumentation
 */
import type { ErrorIssue } from '@carequeue/core';
import { isRecord, objectIssues } from './argument-checks.js';
import { AuditConfigError } from './errors.js';

/**
 * The issues of a factory's options object: not an object, or holding an option outside
 * `known`; then, when it is an object, the issues `fields` finds in its options.
 *
 * @param known - every option the factory reads.
 * @param fields - checks of the options' values, with paths under `path`.
 * @param path - the argument's name in issue paths. @default 'options'
 * @example
 * ```ts
 * optionsIssues(options, ['path'], (o) => textIssues(o['path'], 'options.path', { nonEmpty: true }));
 * ```
 */
export function optionsIssues(
  options: unknown,
  known: readonly string[],
  fields: (options: Record<string, unknown>) => ErrorIssue[],
  path = 'options',
): ErrorIssue[] {
  if (!isRecord(options)) return objectIssues(options, path);
  const unknown = Object.keys(options)
    .filter((key) => !known.includes(key))
    .map((key) => ({
      path: `${path}.${key}`,
      message:
        known.length === 0
          ? 'is not an option: this factory takes none, remove it'
          : `is not an option: remove it, or correct its spelling to one of ${known.join(', ')}`,
    }));
  return [...unknown, ...fields(options)];
}

/**
 * Throws an {@link AuditConfigError} for `factory` when any list holds an issue.
 *
 * @throws {@link AuditConfigError} listing the options at fault (paths and rules, never values)
 * @example
 * ```ts
 * checkFactoryOptions('fileAuditSpool', optionsIssues(options, ['path'], pathIssues));
 * ```
 */
export function checkFactoryOptions(factory: string, ...lists: readonly ErrorIssue[][]): void {
  const issues = lists.flat();
  if (issues.length > 0) throw new AuditConfigError(factory, issues);
}
