import type { AuditStore } from '../audit-store.js';
import { booleanIssues, textIssues } from '../argument-checks.js';
import { checkReportArguments } from './report-arguments.js';
import type { AuditReport, ReportColumn } from './audit-report.js';
import { EVENT_COLUMNS } from './report-columns.js';
import { activityCharts } from './report-charts.js';
import type { ReportOptions } from './report-options.js';
import { eventCells, reportStamp } from './report-rows.js';
import { periodQuery } from './report-period.js';
import { readWholeTrail } from './trail-reader.js';

/**
 * Options of {@link patientAccessReport}.
 *
 * @example
 * ```ts
 * const options: PatientAccessReportOptions = { tenantId, patientId, includeStaffIdentities: false };
 * ```
 */
export interface PatientAccessReportOptions extends ReportOptions {
  readonly patientId: string;
  /**
   * Adds the user of each event. GDPR Art. 15 (CJEU C-579/21) owes the patient the dates and
   * purposes of each consultation, and staff identities only where essential.
   *
   * @default false
   */
  readonly includeStaffIdentities?: boolean;
}

/**
 * The access report a patient can ask for (GDPR Art. 15): every read, change and disclosure of
 * their data with its date, action, purpose and data categories, oldest first. Staff identities
 * are left out unless `includeStaffIdentities` is set; the report never carries old/new values.
 *
 * @example
 * ```ts
 * const report = await patientAccessReport(store, { tenantId, patientId, from, to });
 * await writeFile('access.html', renderReportHtml(report));
 * ```
 */
export async function patientAccessReport(
  store: AuditStore,
  options: PatientAccessReportOptions,
): Promise<AuditReport> {
  checkReportArguments('patientAccessReport', store, options, (fields) => [
    ...textIssues(fields['patientId'], 'options.patientId', { nonEmpty: true }),
    ...booleanIssues(fields['includeStaffIdentities'], 'options.includeStaffIdentities', {
      optional: true,
    }),
  ]);
  const identities = options.includeStaffIdentities ?? false;
  const logs = (
    await readWholeTrail(
      store,
      {
        tenantId: options.tenantId,
        patientId: options.patientId,
        ...periodQuery(options),
        sortBy: 'timestamp',
      },
      options.onProgress,
    )
  ).filter((log) => log.category !== 'auth');
  const columns: ReportColumn[] = [
    EVENT_COLUMNS.timestamp,
    EVENT_COLUMNS.action,
    EVENT_COLUMNS.category,
    EVENT_COLUMNS.purposeOfUse,
    { key: 'dataCategories', label: 'Data' },
    EVENT_COLUMNS.recipient,
    ...(identities ? [EVENT_COLUMNS.userId] : []),
  ];
  return {
    kind: 'patient-access',
    title: 'Access to your health data',
    tenantId: options.tenantId,
    ...reportStamp(options),
    columns,
    rows: logs.map((log) => ({
      ...eventCells(log),
      recipient: log.recipient,
      ...(identities ? { userId: log.userId } : {}),
    })),
    charts: activityCharts(logs, { byUser: identities }),
    notes: [
      `Patient ${options.patientId}: ${logs.length} recorded consultations, changes and disclosures.`,
      identities
        ? 'Staff identities are included.'
        : 'Staff identities are left out (GDPR Art. 15 as read by the CJEU in C-579/21).',
    ],
  };
}
