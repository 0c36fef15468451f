import { checkArguments } from '../argument-checks.js';
import { reportIssues } from './report-shape.js';
import type { AuditReport, ReportChart } from './audit-report.js';

/**
 * Escapes text for HTML element content and quoted attribute values.
 *
 * @example
 * ```ts
 * escapeHtml('<b>"x"</b>'); // '&lt;b&gt;&quot;x&quot;&lt;/b&gt;'
 * ```
 */
export function escapeHtml(text: string): string {
  checkArguments(
    'escapeHtml',
    typeof text === 'string' ? [] : [{ path: 'text', message: 'must be a string' }],
  );
  return escaped(text);
}

function escaped(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const WIDTH = 640;
const BAR_AREA = 200;

function columnChart(chart: ReportChart): string {
  const max = Math.max(1, ...chart.data.map((datum) => datum.value));
  const step = chart.data.length === 0 ? WIDTH : (WIDTH - 40) / chart.data.length;
  const bars = chart.data
    .map((datum, index) => {
      const height = Math.max(1, Math.round((datum.value / max) * BAR_AREA));
      const x = 40 + index * step;
      return `<rect class="bar" x="${x.toFixed(1)}" y="${BAR_AREA + 10 - height}" width="${Math.max(1, step - 2).toFixed(1)}" height="${height}" data-label="${escaped(datum.label)}" data-value="${datum.value}"><title>${escaped(`${datum.label}: ${datum.value}`)}</title></rect>`;
    })
    .join('');
  const first = chart.data[0]?.label ?? '';
  const last = chart.data[chart.data.length - 1]?.label ?? '';
  return `<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="chart-${chart.id}" role="img" aria-label="${escaped(chart.title)}" viewBox="0 0 ${WIDTH} ${BAR_AREA + 40}" width="${WIDTH}" height="${BAR_AREA + 40}"><line x1="38" y1="${BAR_AREA + 10}" x2="${WIDTH}" y2="${BAR_AREA + 10}" stroke="#555"/><text x="0" y="20" font-size="12">${max}</text>${bars}<text x="40" y="${BAR_AREA + 30}" font-size="12">${escaped(first)}</text><text x="${WIDTH}" y="${BAR_AREA + 30}" font-size="12" text-anchor="end">${escaped(last)}</text></svg>`;
}

function barChart(chart: ReportChart): string {
  const max = Math.max(1, ...chart.data.map((datum) => datum.value));
  const height = Math.max(1, chart.data.length) * 24 + 10;
  const bars = chart.data
    .map((datum, index) => {
      const width = Math.max(1, Math.round((datum.value / max) * (WIDTH - 260)));
      const y = 5 + index * 24;
      return `<text x="0" y="${y + 15}" font-size="12">${escaped(datum.label.length > 36 ? `${datum.label.slice(0, 35)}…` : datum.label)}</text><rect class="bar" x="220" y="${y}" width="${width}" height="18" data-label="${escaped(datum.label)}" data-value="${datum.value}"><title>${escaped(`${datum.label}: ${datum.value}`)}</title></rect><text x="${226 + width}" y="${y + 15}" font-size="12">${datum.value}</text>`;
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="chart-${chart.id}" role="img" aria-label="${escaped(chart.title)}" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}">${bars}</svg>`;
}

function chartFigure(chart: ReportChart): string {
  const body =
    chart.data.length === 0
      ? '<p class="empty">No events in this period.</p>'
      : chart.id === 'over-time'
        ? columnChart(chart)
        : barChart(chart);
  return `<figure><figcaption>${escaped(chart.title)}</figcaption>${body}</figure>`;
}

/**
 * Renders a report as one self-contained HTML page: inline CSS, inline SVG charts (events over
 * time, by user, by purpose), the notes and the table. It loads nothing (a Content-Security-Policy
 * of `default-src 'none'` forbids it), runs no script, and escapes every value.
 *
 * @example
 * ```ts
 * await writeFile('patient-access.html', renderReportHtml(await patientAccessReport(store, options)));
 * ```
 */
export function renderReportHtml(report: AuditReport): string {
  checkArguments('renderReportHtml', reportIssues(report, 'report'));
  const head = report.columns
    .map((column) => `<th scope="col">${escaped(column.label)}</th>`)
    .join('');
  const body = report.rows
    .map(
      (row) =>
        `<tr>${report.columns.map((column) => `<td>${escaped(String(row[column.key] ?? ''))}</td>`).join('')}</tr>`,
    )
    .join('\n');
  const period = `${report.period.from ?? 'the beginning'} to ${report.period.to ?? 'now'}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escaped(report.title)}</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 2rem; color: #111; }
table { border-collapse: collapse; width: 100%; font-size: 12px; }
th, td { border: 1px solid #ccc; padding: 4px 6px; text-align: left; vertical-align: top; word-break: break-word; }
th { background: #eef; }
figure { margin: 1rem 0; }
figcaption { font-weight: 600; margin-bottom: .25rem; }
.chart .bar { fill: #3566a8; }
.meta { color: #444; }
</style>
</head>
<body>
<h1>${escaped(report.title)}</h1>
<p class="meta">Tenant ${escaped(report.tenantId)} · ${escaped(period)} · generated ${escaped(report.generatedAt)} · ${report.rows.length} rows</p>
${report.notes.map((note) => `<p class="note">${escaped(note)}</p>`).join('\n')}
<section class="charts">
${report.charts.map(chartFigure).join('\n')}
</section>
<table>
<thead><tr>${head}</tr></thead>
<tbody>
${body}
</tbody>
</table>
</body>
</html>
`;
}
