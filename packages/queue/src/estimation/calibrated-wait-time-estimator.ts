/**
 * The wait-time estimator that calibrates the rule estimator's P50 and P90 during the day, from
 * the waits of the patients it has seen called.
 *
 * @packageDocumentation
 */
import { z } from 'zod';
import { parseArguments } from '@carequeue/core';
import type { QueueSnapshot, WaitEstimate, WaitTimeEstimator } from './wait-time-estimator.js';
import { checkFactoryOptions, portOption } from '../config/factory-options.js';

/**
 * A calibrated estimate, with the rule estimate it was calibrated from (keep it: it is what
 * {@link CalibratedWaitTimeEstimator.observeCall} needs when the patient is called).
 *
 * @example
 * ```ts
 * const { p50Ms, p90Ms, rule }: CalibratedWaitEstimate = estimator.estimate(snapshot);
 * ```
 */
export interface CalibratedWaitEstimate extends WaitEstimate {
  /** The rule estimator's answer for the same snapshot. */
  readonly rule: WaitEstimate;
}

/**
 * One patient called: the rule estimate they were given and how long they actually waited.
 *
 * @example
 * ```ts
 * const outcome: CalledPatient = { rule: { p50Ms: 600_000, p90Ms: 1_200_000 }, waitedMs: 840_000 };
 * ```
 */
export interface CalledPatient {
  readonly rule: WaitEstimate;
  readonly waitedMs: number;
}

/**
 * How the calibration weighs what it has seen; the defaults were tuned on seeds 1-10 of every
 * scenario of `CLINIC_DAY_SCENARIOS`.
 *
 * @example
 * ```ts
 * const tuning: WaitCalibrationTuning = { window: 80, p50Level: 0.55, p90Level: 0.95 };
 * ```
 */
export interface WaitCalibrationTuning {
  /**
   * Called patients (who had to wait) kept: the most recent ones only, so the calibration follows
   * the day.
   * @default 80
   */
  readonly window?: number;
  /**
   * Called patients needed before the calibration is used; until then the rule estimate is served.
   * @default 10
   */
  readonly minimumSamples?: number;
  /**
   * Level of the calibration scores taken for P50. Above 0.5 because the scores lag the day: they
   * are known only once a patient is called, and a queue that is getting longer makes the waiting
   * patients' scores higher than the called ones' (`observeWaiting` corrects part of that).
   * @default 0.55
   */
  readonly p50Level?: number;
  /** Level of the calibration scores taken for P90, above 0.9 for the same reason. @default 0.95 */
  readonly p90Level?: number;
  /**
   * Weight of a patient still waiting (see {@link CalibratedWaitTimeEstimator.observeWaiting})
   * against a called one. Above 1 because a running wait is news about the queue as it is now,
   * while the called patients' scores describe the queue as it was when they checked in. 0 ignores
   * the patients still waiting.
   * @default 2
   */
  readonly waitingWeight?: number;
}

/**
 * Options of {@link createCalibratedWaitTimeEstimator}.
 *
 * @example
 * ```ts
 * const options: CalibratedWaitTimeEstimatorOptions = { rule: createWaitTimeEstimator({ tracker }) };
 * ```
 */
export interface CalibratedWaitTimeEstimatorOptions {
  /** The estimator whose P50 and P90 are calibrated. */
  readonly rule: WaitTimeEstimator;
  /** @default the values tuned on the scenario suite's seeds 1-10 */
  readonly tuning?: WaitCalibrationTuning;
}

/**
 * A {@link WaitTimeEstimator} whose answers are calibrated on the waits seen so far today. Use one
 * per queue and per day.
 *
 * @example
 * ```ts
 * const estimate = estimator.estimate(snapshot); // shown to the patient; keep estimate.rule
 * estimator.observeCall({ rule: estimate.rule, waitedMs: calledAt - checkedInAt });
 * ```
 */
export interface CalibratedWaitTimeEstimator extends WaitTimeEstimator {
  /**
   * The calibrated P50 and P90 of a patient checking in behind `snapshot.ahead`, and the rule
   * estimate they come from.
   *
   * @throws `ValidationError` as `WaitTimeEstimator.estimate`.
   */
  estimate(snapshot: QueueSnapshot): CalibratedWaitEstimate;
  /**
   * Learns from one called patient. Patients the rule estimator expected to be called at once
   * (a zero P50) teach nothing and are skipped.
   *
   * @throws `ValidationError` naming the field when `rule` is not a P50 at most a finite P90, or
   * `waitedMs` is not a finite number of 0 or more.
   */
  observeCall(outcome: CalledPatient): void;
  /**
   * Tells the calibration who is still waiting now: each patient's rule estimate and how long they
   * have waited so far. Replaces the previous list. A wait still running is a lower bound on the
   * wait (a censored observation): on a day whose queue keeps growing it shows the lag long before
   * those patients are called. Calling it is optional: without it, only called patients count.
   *
   * @throws `ValidationError` naming the field when an entry is invalid as in `observeCall`.
   */
  observeWaiting(waiting: readonly CalledPatient[]): void;
}

const Milliseconds = z.number().nonnegative().finite();
const observeCallArguments = z.object({
  outcome: z.object({
    rule: z
      .object({ p50Ms: Milliseconds, p90Ms: Milliseconds })
      .refine((rule) => rule.p50Ms <= rule.p90Ms, 'p50Ms must be at most p90Ms'),
    waitedMs: Milliseconds,
  }),
});

const observeWaitingArguments = z.object({
  waiting: z.array(observeCallArguments.shape.outcome),
});

const Level = z.number().gt(0).lt(1);
const CalibratedWaitTimeEstimatorOptionsSchema = z.object({
  rule: portOption('a WaitTimeEstimator', ['estimate']),
  tuning: z
    .object({
      window: z.int().min(1).max(10_000).optional(),
      minimumSamples: z.int().min(1).optional(),
      p50Level: Level.optional(),
      p90Level: Level.optional(),
      waitingWeight: z.number().min(0).max(100).optional(),
    })
    .refine(
      (tuning) => (tuning.minimumSamples ?? 10) <= (tuning.window ?? 80),
      'minimumSamples must be at most window',
    )
    .refine(
      (tuning) => (tuning.p50Level ?? 0.55) < (tuning.p90Level ?? 0.95),
      'p50Level must be below p90Level',
    )
    .optional(),
});

// A called patient's wait far outside the rule's interval still counts, but only as an extreme.
const MAX_SCORE = 20;

/**
 * Creates a {@link CalibratedWaitTimeEstimator}: normalised conformal calibration of the rule
 * estimator over a window of recently called patients.
 *
 * Each called patient gives a score, how far their wait fell from the rule's P50 in units of the
 * rule's own spread: `s = ln(waited / p50) / ln(p90 / p50)`. A new estimate takes the scores at
 * `p50Level` and `p90Level` over the window, `q50` and `q90`, and answers
 * `P50 = p50 · (p90 / p50)^q50` and `P90 = p50 · (p90 / p50)^q90`. A rule estimate that is
 * systematically short (a busier day, a slower service mix, staff missing) gives high scores and
 * is stretched; a pessimistic one (a quiet day) is shrunk. Because the score is relative to the
 * rule's spread, a long wait, which the rule knows more precisely in relative terms, moves less
 * than a short one. A zero rule estimate (a member of staff is free) stays zero.
 *
 * Called patients' scores lag a queue that keeps growing: they are known only once the patient is
 * called. Patients still waiting (given with `observeWaiting`) fill that gap as right-censored
 * scores, lower bounds from the wait they have had so far, and the quantiles are taken by a
 * weighted Kaplan-Meier estimator over both.
 *
 * @throws `QueueConfigError` when `rule` is missing or a tuning value is out of range.
 * @example
 * ```ts
 * import {
 *   createCalibratedWaitTimeEstimator,
 *   createServiceTimeTracker,
 *   createWaitTimeEstimator,
 * } from '@carequeue/queue';
 *
 * const tracker = createServiceTimeTracker({ defaultPrior: { meanMs: 600_000, sdMs: 300_000 } });
 * const estimator = createCalibratedWaitTimeEstimator({ rule: createWaitTimeEstimator({ tracker }) });
 * const shown = estimator.estimate({ activeServers: 1, ahead: [{ serviceType: 'x' }], inService: [] });
 * estimator.observeWaiting([{ rule: shown.rule, waitedMs: 300_000 }]); // still waiting after 5 min
 * estimator.observeCall({ rule: shown.rule, waitedMs: 900_000 });
 * ```
 */
export function createCalibratedWaitTimeEstimator(
  options: CalibratedWaitTimeEstimatorOptions,
): CalibratedWaitTimeEstimator {
  checkFactoryOptions(
    'createCalibratedWaitTimeEstimator',
    CalibratedWaitTimeEstimatorOptionsSchema,
    options,
  );
  const { rule } = options;
  const window = options.tuning?.window ?? 80;
  const minimumSamples = options.tuning?.minimumSamples ?? 10;
  const p50Level = options.tuning?.p50Level ?? 0.55;
  const p90Level = options.tuning?.p90Level ?? 0.95;
  const waitingWeight = options.tuning?.waitingWeight ?? 2;
  const called: number[] = [];
  let waiting: number[] = [];
  let quantiles: number[] | undefined;

  return {
    estimate(snapshot) {
      const estimate = rule.estimate(snapshot);
      const spread = Math.log(estimate.p90Ms / estimate.p50Ms);
      if (called.length < minimumSamples || !(estimate.p50Ms > 0) || !(spread > 0)) {
        return { p50Ms: estimate.p50Ms, p90Ms: estimate.p90Ms, rule: estimate };
      }
      quantiles ??= scoreQuantiles(called, waiting, waitingWeight, [p50Level, p90Level]);
      const [q50, q90] = quantiles as [number, number];
      return {
        p50Ms: estimate.p50Ms * Math.exp(q50 * spread),
        p90Ms: estimate.p50Ms * Math.exp(q90 * spread),
        rule: estimate,
      };
    },
    observeCall(outcome) {
      parseArguments(observeCallArguments, { outcome }, 'CalibratedWaitTimeEstimator.observeCall');
      const scored = scorePatient(outcome);
      if (scored === undefined) return;
      called.push(scored);
      if (called.length > window) called.shift();
      quantiles = undefined;
    },
    observeWaiting(patients) {
      parseArguments(
        observeWaitingArguments,
        { waiting: patients },
        'CalibratedWaitTimeEstimator.observeWaiting',
      );
      waiting = patients.flatMap((patient) => scorePatient(patient) ?? []);
      quantiles = undefined;
    },
  };
}

/** A patient's score, clamped to +-MAX_SCORE; undefined when the rule gave a zero or spreadless estimate. */
function scorePatient({ rule, waitedMs }: CalledPatient): number | undefined {
  const spread = Math.log(rule.p90Ms / rule.p50Ms);
  if (!(rule.p50Ms > 0) || !(spread > 0)) return undefined;
  const score = Math.log(waitedMs / rule.p50Ms) / spread;
  return Math.min(MAX_SCORE, Math.max(-MAX_SCORE, score));
}

/**
 * Quantiles of the scores at `levels` by a weighted Kaplan-Meier estimator: `called` are the
 * scores of called patients (weight 1), `waiting` the lower bounds of patients still waiting
 * (censored, weight `waitingWeight`). With nobody waiting this is the plain empirical quantile. A
 * level never reached (the highest scores are all still waiting) takes the highest score seen.
 */
function scoreQuantiles(
  called: readonly number[],
  waiting: readonly number[],
  waitingWeight: number,
  levels: readonly number[],
): number[] {
  const points = [
    ...called.map((score) => ({ score, weight: 1, called: true })),
    ...waiting.map((score) => ({ score, weight: waitingWeight, called: false })),
  ].sort((a, b) => a.score - b.score || Number(b.called) - Number(a.called));
  const found: (number | undefined)[] = levels.map(() => undefined);
  let survival = 1;
  let atRisk = points.reduce((sum, point) => sum + point.weight, 0);
  for (const point of points) {
    if (point.called && atRisk > 0) {
      survival *= Math.max(0, 1 - point.weight / atRisk);
      levels.forEach((level, index) => {
        if (found[index] === undefined && 1 - survival > level + 1e-9) found[index] = point.score;
      });
    }
    atRisk -= point.weight;
  }
  const highest = (points[points.length - 1] as { score: number }).score;
  return found.map((score) => score ?? highest);
}
