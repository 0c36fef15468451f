/**
 * Planned staffing changes, and how they stretch or shorten a wait computed at today's staffing.
 *
 * @packageDocumentation
 */

/**
 * A planned change of the staff calling patients: from `afterMs` from now, `activeServers` call.
 *
 * @example
 * ```ts
 * const lunch: PlannedStaffing = { afterMs: 30 * 60_000, activeServers: 2 };
 * ```
 */
export interface PlannedStaffing {
  /** Milliseconds from now at which the change takes effect. */
  readonly afterMs: number;
  /** Staff calling patients from then on (at least 1). */
  readonly activeServers: number;
}

/**
 * How long a wait of `waitMs` at a constant `activeServers` takes when staffing follows `plan`:
 * the same amount of staff time (`waitMs × activeServers`) is spent at the planned staffing. With
 * no change planned before `waitMs`, the wait is unchanged.
 *
 * @example
 * ```ts
 * import { waitUnderStaffingPlan } from '@carequeue/queue';
 *
 * // 60 min at 2 staff, but one leaves in 30 min: 30 min at 2, then 60 min at 1.
 * waitUnderStaffingPlan(60 * 60_000, 2, [{ afterMs: 30 * 60_000, activeServers: 1 }]); // 5_400_000
 * ```
 */
export function waitUnderStaffingPlan(
  waitMs: number,
  activeServers: number,
  plan: readonly PlannedStaffing[],
): number {
  let work = waitMs * activeServers;
  let elapsed = 0;
  let servers = activeServers;
  for (const change of plan) {
    if (change.afterMs <= elapsed) {
      servers = change.activeServers;
      continue;
    }
    const capacity = servers * (change.afterMs - elapsed);
    if (work <= capacity) break;
    work -= capacity;
    elapsed = change.afterMs;
    servers = change.activeServers;
  }
  return elapsed + work / servers;
}
