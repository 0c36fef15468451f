import { checkArguments } from '../argument-checks.js';
import { reportIssues } from './report-shape.js';
import type { AuditReport } from './audit-report.js';

/**
 * Renders a report as indented JSON: kind, title, tenant, period, columns, rows, charts, notes.
 *
 * @example
 * ```ts
 * const parsed = JSON.parse(renderReportJson(report)) as AuditReport;
 * ```
 */
export function renderReportJson(report: AuditReport): string {
  checkArguments('renderReportJson', reportIssues(report, 'report'));
  return `${JSON.stringify(report, null, 2)}\n`;
}
