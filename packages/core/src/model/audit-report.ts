/**
 * Audit reports as data: what the audit service produces and the API answers, before any
 * rendering to CSV or HTML.
 *
 * @packageDocumentation
 */
import { z } from 'zod';
import { Timestamp } from './common.js';

/**
 * The reports the audit service produces.
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
 * AuditReportKind.parse('patient-access');
 * ```
 */
export const AuditReportKind = z.enum(AUDIT_REPORT_KINDS);
/** A parsed {@link AuditReportKind}. */
export type AuditReportKind = z.output<typeof AuditReportKind>;

/**
 * One cell of a report row: text, a number, or nothing.
 *
 * @example
 * ```ts
 * ReportCell.parse('2026-01-01T08:30:00.000Z');
 * ```
 */
export const ReportCell = z.union([z.string(), z.number(), z.null()]);
/** A parsed {@link ReportCell}. */
export type ReportCell = z.output<typeof ReportCell>;

/**
 * A column of a report: the row key and its heading.
 *
 * @example
 * ```ts
 * ReportColumn.parse({ key: 'purposeOfUse', label: 'Purpose' });
 * ```
 */
export const ReportColumn = z.object({ key: z.string(), label: z.string() });
/** A parsed {@link ReportColumn}. */
export type ReportColumn = z.output<typeof ReportColumn>;

/**
 * One bar of a chart.
 *
 * @example
 * ```ts
 * ChartDatum.parse({ label: 'TREAT', value: 12 });
 * ```
 */
export const ChartDatum = z.object({ label: z.string(), value: z.number() });
/** A parsed {@link ChartDatum}. */
export type ChartDatum = z.output<typeof ChartDatum>;

/**
 * A chart of a report: accesses over time, by user or by purpose.
 *
 * @example
 * ```ts
 * ReportChart.parse({ id: 'by-purpose', title: 'Accesses by purpose', data: [{ label: 'TREAT', value: 3 }] });
 * ```
 */
export const ReportChart = z.object({
  id: z.enum(['over-time', 'by-user', 'by-purpose']),
  title: z.string(),
  data: z.array(ChartDatum).readonly(),
});
/** A parsed {@link ReportChart}. */
export type ReportChart = z.output<typeof ReportChart>;

/**
 * A report as data, before rendering to JSON, CSV or HTML.
 *
 * @example
 * ```ts
 * const report = AuditReport.parse(body);
 * report.rows.length; // one row per access
 * ```
 */
export const AuditReport = z.object({
  kind: AuditReportKind,
  title: z.string(),
  tenantId: z.string(),
  generatedAt: Timestamp,
  /** Inclusive bounds of the events the report covers (ISO 8601), null when open. */
  period: z.object({ from: Timestamp.nullable(), to: Timestamp.nullable() }),
  columns: z.array(ReportColumn).readonly(),
  rows: z.array(z.record(z.string(), ReportCell)).readonly(),
  charts: z.array(ReportChart).readonly(),
  /** Plain-language remarks a reader needs (what was left out and why). */
  notes: z.array(z.string()).readonly(),
});
/** A parsed {@link AuditReport}. */
export type AuditReport = z.output<typeof AuditReport>;
