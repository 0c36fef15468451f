import { checkArguments } from '../argument-checks.js';
import { reportIssues } from './report-shape.js';
import type { AuditReport, ReportCell } from './audit-report.js';

// Spreadsheets run a cell starting with one of these as a formula (CSV injection).
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV field: empty for null; text that a spreadsheet would run as a formula gets a leading
 * `'`; fields with commas, quotes or line breaks are quoted (RFC 4180).
 *
 * @example
 * ```ts
 * csvField('=HYPERLINK("x")'); // '"\'=HYPERLINK(""x"")"'
 * ```
 */
export function csvField(cell: ReportCell): string {
  checkArguments(
    'csvField',
    cell === null || typeof cell === 'string' || typeof cell === 'number'
      ? []
      : [{ path: 'cell', message: 'must be a string, a number or null' }],
  );
  return fieldOf(cell);
}

function fieldOf(cell: ReportCell): string {
  if (cell === null) return '';
  let text = typeof cell === 'number' ? String(cell) : cell;
  if (typeof cell === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * Renders a report's rows as CSV (RFC 4180, CRLF line ends, a header of column labels), safe to
 * open in a spreadsheet.
 *
 * @example
 * ```ts
 * await writeFile('accounting.csv', renderReportCsv(await disclosureAccounting(store, options)));
 * ```
 */
export function renderReportCsv(report: AuditReport): string {
  checkArguments('renderReportCsv', reportIssues(report, 'report'));
  const lines = [report.columns.map((column) => fieldOf(column.label)).join(',')];
  for (const row of report.rows) {
    lines.push(report.columns.map((column) => fieldOf(row[column.key] ?? null)).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
