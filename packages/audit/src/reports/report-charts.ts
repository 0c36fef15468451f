import type { AuditLog } from '../audit-event.js';
import type { ChartDatum, ReportChart } from './audit-report.js';

const DAY_MS = 86_400_000;
const MAX_BARS = 12;

function countBy(logs: readonly AuditLog[], key: (log: AuditLog) => string): ChartDatum[] {
  const counts = new Map<string, number>();
  for (const log of logs) {
    const label = key(log);
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return [...counts].map(([label, value]) => ({ label, value }));
}

function topBars(data: ChartDatum[]): ChartDatum[] {
  const sorted = data.sort((a, b) => b.value - a.value || (a.label < b.label ? -1 : 1));
  if (sorted.length <= MAX_BARS) return sorted;
  const rest = sorted.slice(MAX_BARS - 1).reduce((sum, datum) => sum + datum.value, 0);
  return [...sorted.slice(0, MAX_BARS - 1), { label: 'others', value: rest }];
}

/**
 * The bucket label of a time: the UTC day (`2026-01-31`) for spans up to 62 days, else the UTC
 * month (`2026-01`).
 *
 * @example
 * ```ts
 * timeBucket(new Date('2026-01-31T10:00:00Z'), 'day'); // '2026-01-31'
 * ```
 */
export function timeBucket(time: Date, unit: 'day' | 'month'): string {
  const iso = time.toISOString();
  return unit === 'day' ? iso.slice(0, 10) : iso.slice(0, 7);
}

/**
 * The charts of a report: events over time (by day or month, in time order), and the largest
 * groups by user (only when `byUser`) and by purpose of use.
 *
 * @example
 * ```ts
 * const charts = activityCharts(logs, { byUser: false });
 * charts.map((chart) => chart.id); // ['over-time', 'by-purpose']
 * ```
 */
export function activityCharts(
  logs: readonly AuditLog[],
  options: { readonly byUser: boolean },
): ReportChart[] {
  const times = logs.map((log) => log.timestamp.getTime());
  const span = times.length === 0 ? 0 : Math.max(...times) - Math.min(...times);
  const unit = span <= 62 * DAY_MS ? 'day' : 'month';
  const overTime = countBy(logs, (log) => timeBucket(log.timestamp, unit)).sort((a, b) =>
    a.label < b.label ? -1 : 1,
  );
  const charts: ReportChart[] = [
    { id: 'over-time', title: `Events per ${unit} (UTC)`, data: overTime },
  ];
  if (options.byUser) {
    charts.push({
      id: 'by-user',
      title: 'Events by user',
      data: topBars(countBy(logs, (log) => log.userId ?? 'unknown')),
    });
  }
  charts.push({
    id: 'by-purpose',
    title: 'Events by purpose of use',
    data: topBars(countBy(logs, (log) => log.purposeOfUse ?? 'unspecified')),
  });
  return charts;
}
