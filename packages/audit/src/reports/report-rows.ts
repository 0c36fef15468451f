import { systemClock } from '@carequeue/core';
import {
  auditLogIssues,
  checkArguments,
  clockIssues,
  dateIssues,
  isRecord,
  objectIssues,
} from '../argument-checks.js';
import type { AuditLog } from '../audit-event.js';
import type { AuditReport, ReportCell } from './audit-report.js';
import type { ReportOptions } from './report-options.js';

/**
 * The period and generation time of a report, from its options.
 *
 * @example
 * ```ts
 * const { generatedAt, period } = reportStamp(options);
 * ```
 */
export function reportStamp(
  options: Pick<ReportOptions, 'clock' | 'from' | 'to'>,
): Pick<AuditReport, 'generatedAt' | 'period'> {
  checkArguments(
    'reportStamp',
    objectIssues(options, 'options'),
    isRecord(options)
      ? [
          ...clockIssues(options['clock'], 'options.clock'),
          ...dateIssues(options['from'], 'options.from', { optional: true }),
          ...dateIssues(options['to'], 'options.to', { optional: true }),
        ]
      : [],
  );
  const clock = options.clock ?? systemClock;
  return {
    generatedAt: new Date(clock.now()).toISOString(),
    period: {
      from: options.from ? options.from.toISOString() : null,
      to: options.to ? options.to.toISOString() : null,
    },
  };
}

/**
 * The list cell of a text array: items joined with `; `, or null when empty.
 *
 * @example
 * ```ts
 * listCell(['demographics', 'medications']); // 'demographics; medications'
 * ```
 */
export function listCell(items: readonly string[]): ReportCell {
  checkArguments(
    'listCell',
    Array.isArray(items) && items.every((item) => typeof item === 'string')
      ? []
      : [{ path: 'items', message: 'must be an array of strings' }],
  );
  return cellOfList(items);
}

function cellOfList(items: readonly string[]): ReportCell {
  return items.length === 0 ? null : items.join('; ');
}

/**
 * The cells every report shares for an event: when, what, how it ended, and why.
 *
 * @example
 * ```ts
 * const row = { ...eventCells(log), recipient: log.recipient };
 * ```
 */
export function eventCells(log: AuditLog): Record<string, ReportCell> {
  checkArguments('eventCells', auditLogIssues(log, 'log'));
  return {
    timestamp: log.timestamp.toISOString(),
    category: log.category,
    action: log.action,
    outcome: log.outcome,
    resource: log.resourceId ? `${log.resourceType}/${log.resourceId}` : log.resourceType,
    purposeOfUse: log.purposeOfUse,
    dataCategories: cellOfList(log.dataCategories),
  };
}
