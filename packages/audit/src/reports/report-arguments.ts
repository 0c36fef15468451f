import type { ErrorIssue } from '@carequeue/core';
import {
  checkArguments,
  clockIssues,
  dateIssues,
  functionIssues,
  isRecord,
  objectIssues,
  portIssues,
  storeIssues,
  uuidIssues,
} from '../argument-checks.js';

/**
 * Checks the store and the options every report takes (`ReportOptions`), and with `extra` those
 * of one report, before the trail is read. Internal: the package entry does not export it.
 *
 * @throws {ValidationError} naming `store` or the option at fault
 * @example
 * ```ts
 * checkReportArguments('userActivityReport', store, options, (fields) =>
 *   textIssues(fields['userId'], 'options.userId', { nonEmpty: true }),
 * );
 * ```
 */
export function checkReportArguments(
  operation: string,
  store: unknown,
  options: unknown,
  extra: (fields: Record<string, unknown>) => ErrorIssue[] = () => [],
): void {
  checkArguments(operation, storeIssues(store, 'store'), objectIssues(options, 'options'));
  const fields = options as Record<string, unknown>;
  const from = fields['from'];
  const to = fields['to'];
  const dates = [
    ...dateIssues(from, 'options.from', { optional: true }),
    ...dateIssues(to, 'options.to', { optional: true }),
  ];
  checkArguments(
    operation,
    uuidIssues(fields['tenantId'], 'options.tenantId'),
    dates,
    dates.length === 0 && from instanceof Date && to instanceof Date && from > to
      ? [{ path: 'options.from', message: 'must not be after options.to' }]
      : [],
    clockIssues(fields['clock'], 'options.clock'),
    functionIssues(fields['onProgress'], 'options.onProgress', { optional: true }),
    portIssues(fields['encryptor'], 'options.encryptor', 'a FieldEncryptor', ['decrypt'], {
      optional: true,
    }),
    isRecord(options) ? extra(fields) : [],
  );
}
