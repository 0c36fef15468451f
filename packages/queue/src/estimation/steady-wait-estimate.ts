/**
 * The rule that keeps the estimate a patient sees from jumping back and forth between updates.
 *
 * @packageDocumentation
 */
import { MINUTE_MS } from '@carequeue/core';
import type { WaitEstimate } from './wait-time-estimator.js';

/**
 * The estimate last shown to a patient, with their place in the queue when it was shown.
 *
 * @example
 * ```ts
 * const shown: ShownWaitEstimate = { p50Ms: 900_000, p90Ms: 1_500_000, position: 4 };
 * ```
 */
export interface ShownWaitEstimate extends WaitEstimate {
  /** The patient's 1-based position when the estimate was shown. */
  readonly position: number;
}

/** The largest step of a shown P50 between two updates while the place is unchanged, in ms. */
export const STEADY_STEP_FLOOR_MS = 2 * MINUTE_MS;

/** The largest step of a shown P50 between two updates, as a share of the last one shown. */
export const STEADY_STEP_SHARE = 0.15;

/**
 * The estimate to show a patient at `position`, given a fresh `estimate` and what was shown
 * before. When the patient's place is unchanged (same position), the P50 moves towards the fresh
 * one by at most the larger of {@link STEADY_STEP_FLOOR_MS} and {@link STEADY_STEP_SHARE} of the
 * last P50, and the P90 keeps its distance above the P50 from the fresh estimate; so calibration
 * updates, a staff change or a service running long move the shown wait gradually. When the
 * place changed (someone ahead was called, left or was placed ahead), or nothing was shown
 * before, the fresh estimate is shown as it is.
 *
 * @example
 * ```ts
 * import { steadyWaitEstimate } from '@carequeue/queue';
 *
 * const last = { p50Ms: 600_000, p90Ms: 900_000, position: 3 };
 * steadyWaitEstimate(last, { p50Ms: 1_200_000, p90Ms: 1_800_000 }, 3).p50Ms; // 720000
 * ```
 */
export function steadyWaitEstimate(
  previous: ShownWaitEstimate | undefined,
  estimate: WaitEstimate,
  position: number,
): ShownWaitEstimate {
  if (previous === undefined || previous.position !== position) {
    return { p50Ms: estimate.p50Ms, p90Ms: estimate.p90Ms, position };
  }
  const step = Math.max(STEADY_STEP_FLOOR_MS, STEADY_STEP_SHARE * previous.p50Ms);
  const p50Ms = Math.min(previous.p50Ms + step, Math.max(previous.p50Ms - step, estimate.p50Ms));
  const shownP50 = Math.max(0, p50Ms);
  return {
    p50Ms: shownP50,
    p90Ms: shownP50 + Math.max(0, estimate.p90Ms - estimate.p50Ms),
    position,
  };
}
