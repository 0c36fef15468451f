import {
  auditLogIssues,
  booleanIssues,
  checkArguments,
  isRecord,
  listIssues,
  objectIssues,
  oneOfIssues,
} from '../argument-checks.js';
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
 * The bucket label of a time: its UTC day (`2026-01-31`), month (`2026-01`) or year (`2026`).
 *
 * @example
 * ```ts
 * timeBucket(new Date('2026-01-31T10:00:00Z'), 'day'); // '2026-01-31'
 * ```
 */
export function timeBucket(time: Date, unit: 'day' | 'month' | 'year'): string {
  checkArguments(
    'timeBucket',
    time instanceof Date && !Number.isNaN(time.getTime())
      ? []
      : [{ path: 'time', message: 'must be a valid Date' }],
    oneOfIssues(unit, 'unit', BUCKET_UNITS),
  );
  return bucketOf(time, unit);
}

const BUCKET_UNITS = ['day', 'month', 'year'];

function bucketOf(time: Date, unit: 'day' | 'month' | 'year'): string {
  const iso = time.toISOString();
  return iso.slice(0, unit === 'day' ? 10 : unit === 'month' ? 7 : 4);
}

function nextBucket(time: Date, unit: 'day' | 'month' | 'year'): Date {
  const next = new Date(time);
  if (unit === 'day') next.setUTCDate(next.getUTCDate() + 1);
  else if (unit === 'month') next.setUTCMonth(next.getUTCMonth() + 1, 1);
  else next.setUTCFullYear(next.getUTCFullYear() + 1, 0, 1);
  return next;
}

// Every bucket from the first event to the last, empty ones included, so gaps show as gaps.
function overTime(
  logs: readonly AuditLog[],
  unit: 'day' | 'month' | 'year',
  first: Date,
  last: Date,
): ChartDatum[] {
  const counts = new Map(
    countBy(logs, (log) => bucketOf(log.timestamp, unit)).map((d) => [d.label, d.value]),
  );
  const data: ChartDatum[] = [];
  const end = bucketOf(last, unit);
  for (let at = first; ; at = nextBucket(at, unit)) {
    const label = bucketOf(at, unit);
    data.push({ label, value: counts.get(label) ?? 0 });
    if (label >= end) return data;
  }
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
  checkArguments(
    'activityCharts',
    listIssues(logs, 'logs', auditLogIssues),
    objectIssues(options, 'options'),
    isRecord(options) ? booleanIssues(options['byUser'], 'options.byUser') : [],
  );
  const times = logs.map((log) => log.timestamp.getTime());
  const first = times.reduce((min, time) => Math.min(min, time), Number.POSITIVE_INFINITY);
  const last = times.reduce((max, time) => Math.max(max, time), Number.NEGATIVE_INFINITY);
  const span = times.length === 0 ? 0 : last - first;
  const unit = span <= 62 * DAY_MS ? 'day' : span <= 10 * 366 * DAY_MS ? 'month' : 'year';
  const charts: ReportChart[] = [
    {
      id: 'over-time',
      title: `Events per ${unit} (UTC)`,
      data: times.length === 0 ? [] : overTime(logs, unit, new Date(first), new Date(last)),
    },
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
