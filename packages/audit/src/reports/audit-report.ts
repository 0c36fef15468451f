/**
 * The reports `@carequeue/audit` produces.
 *
 * @example
 * ```ts
 * AUDIT_REPORT_KINDS.includes('disclosure-accounting'); // true
 * ```
 */
export const AUDIT_REPORT_KINDS = [
  'patient-access',
  'disclosure-accounting',
  'user-activity',
  'security',
  'break-glass',
  'range',
] as const;

/**
 * One of {@link AUDIT_REPORT_KINDS}.
 *
 * @example
 * ```ts
 * const kind: AuditReportKind = 'patient-access';
 * ```
 */
export type AuditReportKind = (typeof AUDIT_REPORT_KINDS)[number];

/**
 * One cell of a report row: text, a number, or nothing.
 *
 * @example
 * ```ts
 * const cell: ReportCell = '2026-01-01T08:30:00.000Z';
 * ```
 */
export type ReportCell = string | number | null;

/**
 * A column of a report: the row key and its heading.
 *
 * @example
 * ```ts
 * const column: ReportColumn = { key: 'purposeOfUse', label: 'Purpose' };
 * ```
 */
export interface ReportColumn {
  readonly key: string;
  readonly label: string;
}

/**
 * One bar of a chart.
 *
 * @example
 * ```ts
 * const bar: ChartDatum = { label: 'TREAT', value: 12 };
 * ```
 */
export interface ChartDatum {
  readonly label: string;
  readonly value: number;
}

/**
 * A chart of a report: accesses over time, by user or by purpose.
 *
 * @example
 * ```ts
 * const chart: ReportChart = { id: 'by-purpose', title: 'Accesses by purpose', data: [{ label: 'TREAT', value: 3 }] };
 * ```
 */
export interface ReportChart {
  readonly id: 'over-time' | 'by-user' | 'by-purpose';
  readonly title: string;
  readonly data: readonly ChartDatum[];
}

/**
 * A report as data, before rendering to JSON, CSV or HTML.
 *
 * @example
 * ```ts
 * const report = await patientAccessReport(store, { tenantId, patientId });
 * report.rows.length; // one row per access
 * ```
 */
export interface AuditReport {
  readonly kind: AuditReportKind;
  readonly title: string;
  readonly tenantId: string;
  readonly generatedAt: string;
  /** Inclusive bounds of the events the report covers (ISO 8601), null when open. */
  readonly period: { readonly from: string | null; readonly to: string | null };
  readonly columns: readonly ReportColumn[];
  readonly rows: readonly Readonly<Record<string, ReportCell>>[];
  readonly charts: readonly ReportChart[];
  /** Plain-language remarks a reader needs (what was left out and why). */
  readonly notes: readonly string[];
}
