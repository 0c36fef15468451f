import type { AuditStore } from '../audit-store.js';
import { oneOfIssues } from '../argument-checks.js';
import { checkReportArguments } from './report-arguments.js';
import { AUDIT_SORT_FIELDS, type AuditSortField } from '../trail-query.js';
import { revealValue } from '../value-reveal.js';
import type { AuditReport, ReportCell, ReportColumn } from './audit-report.js';
import { EVENT_COLUMNS } from './report-columns.js';
import { activityCharts } from './report-charts.js';
import type { ReportOptions } from './report-options.js';
import { listCell, reportStamp } from './report-rows.js';
import { periodQuery } from './report-period.js';
import { readWholeTrail } from './trail-reader.js';

/**
 * Options of {@link rangeReport}: any time range, sorted by any recorded field.
 *
 * @example
 * ```ts
 * const options: RangeReportOptions = { tenantId, from, to, sortBy: 'userId', order: 'desc' };
 * ```
 */
export interface RangeReportOptions extends ReportOptions {
  /** @default 'timestamp' */
  readonly sortBy?: AuditSortField;
  /** @default 'asc' */
  readonly order?: 'asc' | 'desc';
}

const COLUMNS: readonly ReportColumn[] = [
  { key: 'sequence', label: 'Sequence' },
  EVENT_COLUMNS.timestamp,
  EVENT_COLUMNS.userId,
  EVENT_COLUMNS.category,
  EVENT_COLUMNS.action,
  EVENT_COLUMNS.outcome,
  { key: 'resourceType', label: 'Resource type' },
  { key: 'resourceId', label: 'Resource id' },
  EVENT_COLUMNS.patientId,
  EVENT_COLUMNS.purposeOfUse,
  EVENT_COLUMNS.recipient,
  EVENT_COLUMNS.disclosureBasis,
  EVENT_COLUMNS.dataCategories,
  { key: 'changedFields', label: 'Changed fields' },
  { key: 'oldValue', label: 'Old value' },
  { key: 'newValue', label: 'New value' },
  EVENT_COLUMNS.ipAddress,
  { key: 'userAgent', label: 'User agent' },
  { key: 'sessionId', label: 'Session' },
  { key: 'correlationId', label: 'Correlation id' },
  { key: 'retentionClass', label: 'Retention class' },
  { key: 'payloadHash', label: 'Payload hash' },
];

/**
 * The audit report of ONC §170.315(d)(3): every event of a tenant in any time range with every
 * recorded field, sorted by any of them. Protected old/new values are revealed only with an
 * encryptor, and values of erased patients stay `{ $erased: true }`.
 *
 * @example
 * ```ts
 * const report = await rangeReport(store, { tenantId, from, to, sortBy: 'patientId' });
 * process.stdout.write(renderReportCsv(report));
 * ```
 */
export async function rangeReport(
  store: AuditStore,
  options: RangeReportOptions,
): Promise<AuditReport> {
  checkReportArguments('rangeReport', store, options, (fields) => [
    ...oneOfIssues(fields['sortBy'], 'options.sortBy', AUDIT_SORT_FIELDS, { optional: true }),
    ...oneOfIssues(fields['order'], 'options.order', ['asc', 'desc'], { optional: true }),
  ]);
  const sortBy = options.sortBy ?? 'timestamp';
  const order = options.order ?? 'asc';
  const logs = await readWholeTrail(
    store,
    {
      tenantId: options.tenantId,
      ...periodQuery(options),
      sortBy,
      order,
    },
    options.onProgress,
  );
  const rows: Record<string, ReportCell>[] = [];
  for (const log of logs) {
    const reveal = {
      eventId: log.id,
      subjectId: log.patientId,
      ...(options.encryptor ? { encryptor: options.encryptor } : {}),
    };
    const oldValue = await revealValue(log.oldValue, { ...reveal, column: 'old_value' });
    const newValue = await revealValue(log.newValue, { ...reveal, column: 'new_value' });
    rows.push({
      sequence: log.sequence,
      timestamp: log.timestamp.toISOString(),
      userId: log.userId,
      category: log.category,
      action: log.action,
      outcome: log.outcome,
      resourceType: log.resourceType,
      resourceId: log.resourceId,
      patientId: log.patientId,
      purposeOfUse: log.purposeOfUse,
      recipient: log.recipient,
      disclosureBasis: log.disclosureBasis,
      dataCategories: listCell(log.dataCategories),
      changedFields: listCell(log.changedFields),
      oldValue: oldValue === null ? null : JSON.stringify(oldValue),
      newValue: newValue === null ? null : JSON.stringify(newValue),
      ipAddress: log.ipAddress,
      userAgent: log.userAgent,
      sessionId: log.sessionId,
      correlationId: log.correlationId,
      retentionClass: log.retentionClass,
      payloadHash: log.payloadHash,
    });
  }
  return {
    kind: 'range',
    title: 'Audit trail report',
    tenantId: options.tenantId,
    ...reportStamp(options),
    columns: COLUMNS,
    rows,
    charts: activityCharts(logs, { byUser: true }),
    notes: [
      `${logs.length} events sorted by ${sortBy} ${order === 'asc' ? 'ascending' : 'descending'}.`,
    ],
  };
}
