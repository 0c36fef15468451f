/**
 * The rule wait-time estimator: expected-value dispatch of the patients ahead onto the active
 * servers, with a lognormal fitted to the wait for P50 and P90.
 *
 * @packageDocumentation
 */
import { z } from 'zod';
import { parseArguments, type WaitEstimate } from '@carequeue/core';
import { QueueSnapshotArgument } from './estimation-arguments.js';
import { lognormalFromMoments, lognormalResidual, Z_90 } from './lognormal.js';
import type { ServiceTimeTracker } from './service-time-tracker.js';
import { type PlannedStaffing, waitUnderStaffingPlan } from './staffing-plan.js';
import { checkFactoryOptions, portOption } from '../config/factory-options.js';

const estimateArguments = z.object({ snapshot: QueueSnapshotArgument });

/**
 * What the estimator needs to know about a queue when a patient checks in. The order of `ahead`
 * is the queue's ordering (priority, then effective time); position is its length.
 *
 * @example
 * ```ts
 * const snapshot: QueueSnapshot = {
 *   activeServers: 3,
 *   ahead: [{ serviceType: 'consultation' }, { serviceType: 'vaccination' }],
 *   inService: [{ serviceType: 'follow-up', elapsedMs: 300_000 }],
 * };
 * ```
 */
export interface QueueSnapshot {
  /** Staff currently calling patients in this queue. */
  readonly activeServers: number;
  /** The waiting patients who will be called before this one, in order. */
  readonly ahead: readonly { readonly serviceType: string }[];
  /** Patients being served by the active staff, with the time they have been in service. */
  readonly inService: readonly { readonly serviceType: string; readonly elapsedMs: number }[];
  /**
   * Staffing changes the roster plans from now on, in time order (a shift change, a lunch break).
   * @default none: `activeServers` call until the patient is called
   */
  readonly staffingPlan?: readonly PlannedStaffing[];
}

export type { WaitEstimate } from '@carequeue/core';

/**
 * How wide the rule estimator's interval is; the defaults were tuned on simulation seeds 1-10.
 *
 * @example
 * ```ts
 * const tuning: WaitTimeTuning = { dispatchSpread: 1, driftSpread: 0.15, earliestFinishFactor: 0.8 };
 * ```
 */
export interface WaitTimeTuning {
  /**
   * Weight of the service-time variance accumulated per unit of expected wait (the randomness of
   * the services ahead).
   * @default 1
   */
  readonly dispatchSpread?: number;
  /**
   * Standard deviation of the wait as a share of its expectation (what the queue state cannot
   * show: urgent arrivals and booked patients placed ahead, staff changes).
   * @default 0.15
   */
  readonly driftSpread?: number;
  /**
   * Factor applied to the expected-value schedule: the first of several busy servers to free up
   * does so earlier, on average, than the earliest of their expected finishing times.
   * @default 0.8
   */
  readonly earliestFinishFactor?: number;
}

/**
 * Options of {@link createWaitTimeEstimator}.
 *
 * @example
 * ```ts
 * const options: WaitTimeEstimatorOptions = { tracker };
 * ```
 */
export interface WaitTimeEstimatorOptions {
  /** Where service times per service type come from. */
  readonly tracker: ServiceTimeTracker;
  /** @default the values tuned on simulation seeds 1-10 */
  readonly tuning?: WaitTimeTuning;
}

/**
 * Estimates how long a patient will wait to be called.
 *
 * @example
 * ```ts
 * const { p50Ms, p90Ms } = estimator.estimate(snapshot);
 * ```
 */
export interface WaitTimeEstimator {
  /**
   * The P50 and P90 wait of a patient checking in behind `snapshot.ahead`.
   *
   * @throws `ValidationError` naming the field when the snapshot is not one: `activeServers` not
   * an integer from 1 to 1,000, more than 10,000 patients listed, a negative elapsed time, a
   * staffing change below 1 server or more than 144 changes.
   */
  estimate(snapshot: QueueSnapshot): WaitEstimate;
}

interface ServerLoad {
  mean: number;
  variance: number;
}

const WaitTimeEstimatorOptionsSchema = z.object({
  tracker: portOption('a ServiceTimeTracker', ['observe', 'moments']),
  tuning: z
    .object({
      dispatchSpread: z.number().nonnegative().optional(),
      driftSpread: z.number().nonnegative().optional(),
      earliestFinishFactor: z.number().positive().optional(),
    })
    .optional(),
});

/**
 * Creates the rule {@link WaitTimeEstimator}.
 *
 * The expected wait `M` comes from dispatching, in queue order, each patient ahead to the server
 * expected to free up first, starting from the expected remaining time of each patient in service
 * (the lognormal residual given the time already spent). The wait is then modelled as a lognormal
 * with mean `M` (the schedule times `earliestFinishFactor`) and variance `dispatchSpread · M · σ̄²/τ̄ + (driftSpread · M)²`, where `τ̄` and
 * `σ̄²` are the mean and variance of service time over the patients ahead and in service: the
 * first term is the randomness of the services ahead (it grows with the number of departures to
 * wait for), the second what the queue state cannot show. The variance depends on the queue only
 * through `M`, so more servers (a smaller `M`) never raise P50 or P90. With a `staffingPlan`, the
 * staff time the schedule needs is spent at the planned staffing ({@link waitUnderStaffingPlan}).
 *
 * @throws `QueueConfigError` when `tracker` is missing or a tuning value is negative.
 * @example
 * ```ts
 * import { createServiceTimeTracker, createWaitTimeEstimator } from '@carequeue/queue';
 *
 * const tracker = createServiceTimeTracker({ defaultPrior: { meanMs: 600_000, sdMs: 300_000 } });
 * const estimator = createWaitTimeEstimator({ tracker });
 * estimator.estimate({ activeServers: 2, ahead: [{ serviceType: 'consultation' }], inService: [] });
 * ```
 */
export function createWaitTimeEstimator(options: WaitTimeEstimatorOptions): WaitTimeEstimator {
  checkFactoryOptions('createWaitTimeEstimator', WaitTimeEstimatorOptionsSchema, options);
  const { tracker } = options;
  const dispatchSpread = options.tuning?.dispatchSpread ?? 1;
  const driftSpread = options.tuning?.driftSpread ?? 0.15;
  const earliestFinishFactor = options.tuning?.earliestFinishFactor ?? 0.8;

  return {
    estimate(snapshot) {
      parseArguments(estimateArguments, { snapshot }, 'WaitTimeEstimator.estimate');
      const servers = snapshot.activeServers;
      const loads: ServerLoad[] = Array.from({ length: servers }, () => ({ mean: 0, variance: 0 }));
      let totalMean = 0;
      let totalVariance = 0;
      let counted = 0;
      snapshot.inService.forEach((patient, index) => {
        const { meanMs, sdMs } = tracker.moments(patient.serviceType);
        totalMean += meanMs;
        totalVariance += sdMs * sdMs;
        counted += 1;
        const load = loads[index];
        if (load === undefined) return;
        const residual = lognormalResidual(lognormalFromMoments(meanMs, sdMs), patient.elapsedMs);
        load.mean = residual.mean;
        load.variance = residual.variance;
      });
      for (const patient of snapshot.ahead) {
        const { meanMs, sdMs } = tracker.moments(patient.serviceType);
        totalMean += meanMs;
        totalVariance += sdMs * sdMs;
        counted += 1;
        const next = earliest(loads);
        next.mean += meanMs;
        next.variance += sdMs * sdMs;
      }
      const expected = waitUnderStaffingPlan(
        earliest(loads).mean * earliestFinishFactor,
        servers,
        snapshot.staffingPlan ?? [],
      );
      if (!(expected > 0)) return { p50Ms: 0, p90Ms: 0 };
      const meanService = totalMean / counted;
      const serviceVariance = totalVariance / counted;
      const variance =
        (dispatchSpread * expected * serviceVariance) / meanService + (driftSpread * expected) ** 2;
      const { mu, sigma } = lognormalFromMoments(expected, Math.sqrt(variance));
      return { p50Ms: Math.exp(mu), p90Ms: Math.exp(mu + Z_90 * sigma) };
    },
  };
}

function earliest(loads: ServerLoad[]): ServerLoad {
  let best = loads[0] as ServerLoad;
  for (const load of loads) if (load.mean < best.mean) best = load;
  return best;
}
