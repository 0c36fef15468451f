import { requireTimeZone, type ErrorIssue } from '@carequeue/core';
import { checkArguments, integerIssues, isRecord, listIssues } from '../argument-checks.js';
import type { AuditLog } from '../audit-event.js';
import type { AuditStore } from '../audit-store.js';
import type { AuditReport, ReportCell } from './audit-report.js';
import { EVENT_COLUMNS } from './report-columns.js';
import { activityCharts } from './report-charts.js';
import type { ReportOptions } from './report-options.js';
import { reportStamp } from './report-rows.js';
import { periodQuery } from './report-period.js';
import { readWholeTrail } from './trail-reader.js';
import { checkReportArguments } from './report-arguments.js';

/**
 * The hours staff are expected to work, in a time zone: `start` inclusive to `end` exclusive
 * (0-24), on ISO week days (1 Monday to 7 Sunday).
 *
 * @example
 * ```ts
 * const hours: WorkingHours = { timeZone: 'Europe/Paris', start: 7, end: 20, days: [1, 2, 3, 4, 5, 6] };
 * ```
 */
export interface WorkingHours {
  readonly timeZone: string;
  readonly start: number;
  readonly end: number;
  readonly days: readonly number[];
}

/**
 * Working hours assumed when none are given: Monday to Friday, 07:00 to 19:00 UTC.
 *
 * @example
 * ```ts
 * securityReport(store, { tenantId, workingHours: { ...DEFAULT_WORKING_HOURS, timeZone: 'America/New_York' } });
 * ```
 */
export const DEFAULT_WORKING_HOURS: WorkingHours = {
  timeZone: 'UTC',
  start: 7,
  end: 19,
  days: [1, 2, 3, 4, 5],
};

/**
 * Options of {@link securityReport}.
 *
 * @example
 * ```ts
 * const options: SecurityReportOptions = { tenantId, maxPatientsPerDay: 30 };
 * ```
 */
export interface SecurityReportOptions extends ReportOptions {
  /**
   * A user who touches more distinct patients than this in one day (in the working hours' time
   * zone) is reported.
   *
   * @default 50
   */
  readonly maxPatientsPerDay?: number;
  /** @default DEFAULT_WORKING_HOURS */
  readonly workingHours?: WorkingHours;
}

/**
 * The kinds of finding of the security report.
 *
 * @example
 * ```ts
 * const finding: SecurityFinding = 'after-hours';
 * ```
 */
export type SecurityFinding = 'failed-login' | 'many-patients' | 'after-hours';

const WEEKDAYS: Readonly<Record<string, number>> = {
  Mon: 1,
  Tue: 2,
  Wed: 3,
  Thu: 4,
  Fri: 5,
  Sat: 6,
  Sun: 7,
};

/**
 * The local day, ISO weekday and hour of a time in a time zone.
 *
 * @example
 * ```ts
 * localTime(new Date('2026-01-05T23:30:00Z'), 'Europe/Paris'); // { day: '2026-01-06', weekday: 2, hour: 0 }
 * ```
 */
export function localTime(
  time: Date,
  timeZone: string,
): { day: string; weekday: number; hour: number } {
  checkArguments(
    'localTime',
    time instanceof Date && !Number.isNaN(time.getTime())
      ? []
      : [{ path: 'time', message: 'must be a valid Date' }],
  );
  return localTimeIn(time, requireTimeZone(timeZone, 'timeZone'));
}

function localTimeIn(time: Date, timeZone: string): { day: string; weekday: number; hour: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    weekday: 'short',
    hour: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(time);
  const part = (type: string): string => parts.find((item) => item.type === type)?.value ?? '';
  return {
    day: `${part('year')}-${part('month')}-${part('day')}`,
    weekday: WEEKDAYS[part('weekday')] ?? 0,
    hour: Number(part('hour')),
  };
}

// Every field of the working hours is checked before the trail is read. The time zone goes
// through core's requireTimeZone: Intl's RangeError for an unknown zone quotes it, and it was
// thrown only once the first event was being placed in a day.
function workingHoursIssues(value: unknown, path: string): ErrorIssue[] {
  if (value === undefined) return [];
  if (!isRecord(value))
    return [{ path, message: 'must be an object { timeZone, start, end, days }, or omitted' }];
  const hour = { min: 0, max: 24 };
  const issues = [
    ...integerIssues(value['start'], `${path}.start`, hour),
    ...integerIssues(value['end'], `${path}.end`, hour),
    ...listIssues(value['days'], `${path}.days`, (day, dayPath) =>
      integerIssues(day, dayPath, { min: 1, max: 7 }),
    ),
  ];
  if (issues.length === 0 && (value['start'] as number) >= (value['end'] as number)) {
    issues.push({ path: `${path}.start`, message: `must be before ${path}.end` });
  }
  return issues;
}

function isFailedLogin(log: AuditLog): boolean {
  return (
    log.category === 'auth' &&
    (log.action === 'login_failed' ||
      ((log.action === 'login' || log.action === 'mfa_challenge') && log.outcome !== 'success'))
  );
}

/**
 * Failed logins and anomalies (HIPAA §164.308(a)(5)(ii)(C) log-in monitoring and activity
 * review): every failed login or MFA challenge, every user who touched more distinct patients in
 * one day than `maxPatientsPerDay`, and every access to patient data outside working hours.
 *
 * @example
 * ```ts
 * const report = await securityReport(store, { tenantId, from, to, maxPatientsPerDay: 40 });
 * report.rows.filter((row) => row.finding === 'after-hours');
 * ```
 */
export async function securityReport(
  store: AuditStore,
  options: SecurityReportOptions,
): Promise<AuditReport> {
  checkReportArguments('securityReport', store, options, (fields) => [
    ...integerIssues(fields['maxPatientsPerDay'], 'options.maxPatientsPerDay', {
      min: 0,
      max: 1_000_000,
      optional: true,
    }),
    ...workingHoursIssues(fields['workingHours'], 'options.workingHours'),
  ]);
  const given = options.workingHours ?? DEFAULT_WORKING_HOURS;
  const hours = {
    ...given,
    timeZone: requireTimeZone(given.timeZone, 'options.workingHours.timeZone'),
  };
  const maxPatients = options.maxPatientsPerDay ?? 50;
  const logs = await readWholeTrail(
    store,
    {
      tenantId: options.tenantId,
      ...periodQuery(options),
      sortBy: 'timestamp',
    },
    options.onProgress,
  );
  const rows: Record<string, ReportCell>[] = [];
  const flagged: AuditLog[] = [];
  const patientsByUserDay = new Map<string, { first: AuditLog; patients: Set<string> }>();
  for (const log of logs) {
    if (isFailedLogin(log)) {
      flagged.push(log);
      rows.push({
        timestamp: log.timestamp.toISOString(),
        finding: 'failed-login',
        userId: log.userId,
        detail: `${log.action} (${log.outcome})`,
        ipAddress: log.ipAddress,
      });
      continue;
    }
    if (log.category === 'auth' || log.patientId === null) continue;
    const local = localTimeIn(log.timestamp, hours.timeZone);
    if (
      !hours.days.includes(local.weekday) ||
      local.hour < hours.start ||
      local.hour >= hours.end
    ) {
      flagged.push(log);
      rows.push({
        timestamp: log.timestamp.toISOString(),
        finding: 'after-hours',
        userId: log.userId,
        detail: `${log.action} of ${log.resourceType} at ${String(local.hour).padStart(2, '0')}h ${hours.timeZone}`,
        ipAddress: log.ipAddress,
      });
    }
    const key = `${log.userId ?? 'unknown'}\u0000${local.day}`;
    const entry = patientsByUserDay.get(key) ?? { first: log, patients: new Set<string>() };
    entry.patients.add(log.patientId);
    patientsByUserDay.set(key, entry);
  }
  for (const [key, entry] of patientsByUserDay) {
    if (entry.patients.size <= maxPatients) continue;
    flagged.push(entry.first);
    rows.push({
      timestamp: entry.first.timestamp.toISOString(),
      finding: 'many-patients',
      userId: entry.first.userId,
      detail: `${entry.patients.size} distinct patients on ${key.slice(key.indexOf('\u0000') + 1)} (limit ${maxPatients})`,
      ipAddress: entry.first.ipAddress,
    });
  }
  rows.sort((a, b) => String(a.timestamp).localeCompare(String(b.timestamp)));
  return {
    kind: 'security',
    title: 'Failed logins and anomalies',
    tenantId: options.tenantId,
    ...reportStamp(options),
    columns: [
      EVENT_COLUMNS.timestamp,
      { key: 'finding', label: 'Finding' },
      EVENT_COLUMNS.userId,
      { key: 'detail', label: 'Detail' },
      EVENT_COLUMNS.ipAddress,
    ],
    rows,
    charts: activityCharts(flagged, { byUser: true }),
    notes: [
      `Working hours ${hours.start}h-${hours.end}h ${hours.timeZone} on ISO days ${hours.days.join(',')}; more than ${maxPatients} distinct patients per user and day is reported.`,
    ],
  };
}
