import type { AuditStore } from '../audit-store.js';
import { textIssues } from '../argument-checks.js';
import { checkReportArguments } from './report-arguments.js';
import type { AuditReport } from './audit-report.js';
import { EVENT_COLUMNS } from './report-columns.js';
import { activityCharts } from './report-charts.js';
import type { ReportOptions } from './report-options.js';
import { eventCells, reportStamp } from './report-rows.js';
import { periodQuery } from './report-period.js';
import { readWholeTrail } from './trail-reader.js';

/**
 * Options of {@link userActivityReport}.
 *
 * @example
 * ```ts
 * const options: UserActivityReportOptions = { tenantId, userId, from, to };
 * ```
 */
export interface UserActivityReportOptions extends ReportOptions {
  readonly userId: string;
}

/**
 * What one user did (HIPAA §164.308(a)(1)(ii)(D) activity review): every event of the user,
 * oldest first, with the patient concerned, and how many distinct patients they touched.
 *
 * @example
 * ```ts
 * const report = await userActivityReport(store, { tenantId, userId, from, to });
 * ```
 */
export async function userActivityReport(
  store: AuditStore,
  options: UserActivityReportOptions,
): Promise<AuditReport> {
  checkReportArguments('userActivityReport', store, options, (fields) =>
    textIssues(fields['userId'], 'options.userId', { nonEmpty: true }),
  );
  const logs = await readWholeTrail(
    store,
    {
      tenantId: options.tenantId,
      userId: options.userId,
      ...periodQuery(options),
      sortBy: 'timestamp',
    },
    options.onProgress,
  );
  const patients = new Set(logs.flatMap((log) => (log.patientId ? [log.patientId] : [])));
  return {
    kind: 'user-activity',
    title: 'User activity',
    tenantId: options.tenantId,
    ...reportStamp(options),
    columns: [
      EVENT_COLUMNS.timestamp,
      EVENT_COLUMNS.category,
      EVENT_COLUMNS.action,
      EVENT_COLUMNS.outcome,
      EVENT_COLUMNS.resource,
      EVENT_COLUMNS.patientId,
      EVENT_COLUMNS.purposeOfUse,
      EVENT_COLUMNS.ipAddress,
    ],
    rows: logs.map((log) => ({
      ...eventCells(log),
      patientId: log.patientId,
      ipAddress: log.ipAddress,
    })),
    charts: activityCharts(logs, { byUser: false }),
    notes: [
      `User ${options.userId}: ${logs.length} events concerning ${patients.size} distinct patients.`,
    ],
  };
}
