import { requireTimeZone, type ClinicId } from '@carequeue/core';
import type { StoredQueueEntry } from './queue-entry-record.js';

/**
 * Which entries to analyse: those of the clinic checked in within `[from, to)`.
 *
 * @example
 * ```ts
 * const request: QueueAnalyticsRequest = { clinicId, from: '2026-03-01T00:00:00Z', to: '2026-03-08T00:00:00Z', timeZone: 'Europe/Berlin' };
 * ```
 */
export interface QueueAnalyticsRequest {
  readonly clinicId: ClinicId;
  readonly from: string;
  readonly to: string;
  /**
   * The IANA zone days and hours are counted in.
   *
   * @default 'UTC'
   */
  readonly timeZone?: string;
}

/**
 * Drop-off counts of one day or hour.
 *
 * @example
 * ```ts
 * const { left, noShow } = analytics.dropOffByHour[9];
 * ```
 */
export interface DropOffCount {
  readonly left: number;
  readonly noShow: number;
}

/**
 * Queue analytics: waits until called, service time per service type, and drop-off (left
 * without being seen plus no-show) per local day and hour.
 *
 * @example
 * ```ts
 * const { averageWaitMs, longestWaitMs, serviceTimeByType, dropOffByDay } = await queue.analytics(actor, request);
 * ```
 */
export interface QueueAnalytics {
  readonly checkedIn: number;
  /** Entries that were called, whose wait is counted. */
  readonly called: number;
  /** Mean time from check-in to the first call (recalls do not stretch it); 0 without calls. */
  readonly averageWaitMs: number;
  readonly longestWaitMs: number;
  /** Completed services by service type id (`default` when none was given). */
  readonly serviceTimeByType: Readonly<
    Record<string, { readonly count: number; readonly averageMs: number }>
  >;
  /** By local date `YYYY-MM-DD` of the drop-off. */
  readonly dropOffByDay: Readonly<Record<string, DropOffCount>>;
  /** By local hour 0-23 of the drop-off. */
  readonly dropOffByHour: Readonly<Record<number, DropOffCount>>;
}

function localParts(timeZone: string): (instant: string) => { day: string; hour: number } {
  const format = new Intl.DateTimeFormat('en-CA', {
    timeZone: requireTimeZone(timeZone, 'timeZone'),
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    hourCycle: 'h23',
  });
  return (instant) => {
    const parts = Object.fromEntries(
      format.formatToParts(new Date(instant)).map((part) => [part.type, part.value]),
    );
    return {
      day: `${parts['year']}-${parts['month']}-${parts['day']}`,
      hour: Number(parts['hour']),
    };
  };
}

/**
 * Computes {@link QueueAnalytics} from stored entries.
 *
 * @throws `ValidationError` for an unknown time zone.
 * @example
 * ```ts
 * const analytics = computeQueueAnalytics(entries, 'Europe/Berlin');
 * ```
 */
export function computeQueueAnalytics(
  entries: readonly StoredQueueEntry[],
  timeZone: string,
): QueueAnalytics {
  const local = localParts(timeZone);
  // Recalls move calledAt; the wait ends at the first call. Older rows may carry calledAt only.
  const waits = entries.flatMap((entry) => {
    const firstCall = entry.firstCalledAt ?? entry.calledAt;
    return firstCall === undefined ? [] : [Date.parse(firstCall) - Date.parse(entry.checkedInAt)];
  });
  const services = new Map<string, { count: number; total: number }>();
  const byDay: Record<string, { left: number; noShow: number }> = {};
  const byHour: Record<number, { left: number; noShow: number }> = {};
  for (const entry of entries) {
    if (entry.status === 'completed' && entry.serviceStartedAt && entry.endedAt) {
      const type = entry.serviceTypeId ?? 'default';
      const sum = services.get(type) ?? { count: 0, total: 0 };
      sum.count += 1;
      sum.total += Date.parse(entry.endedAt) - Date.parse(entry.serviceStartedAt);
      services.set(type, sum);
    }
    if ((entry.status === 'left' || entry.status === 'no_show') && entry.endedAt) {
      const { day, hour } = local(entry.endedAt);
      const field = entry.status === 'left' ? 'left' : 'noShow';
      (byDay[day] ??= { left: 0, noShow: 0 })[field] += 1;
      (byHour[hour] ??= { left: 0, noShow: 0 })[field] += 1;
    }
  }
  return {
    checkedIn: entries.length,
    called: waits.length,
    averageWaitMs:
      waits.length === 0
        ? 0
        : Math.round(waits.reduce((sum, wait) => sum + wait, 0) / waits.length),
    longestWaitMs: waits.length === 0 ? 0 : Math.max(...waits),
    serviceTimeByType: Object.fromEntries(
      [...services].map(([type, sum]) => [
        type,
        { count: sum.count, averageMs: Math.round(sum.total / sum.count) },
      ]),
    ),
    dropOffByDay: byDay,
    dropOffByHour: byHour,
  };
}
