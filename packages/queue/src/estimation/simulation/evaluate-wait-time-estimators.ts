/**
 * Accuracy of the calibrated estimator (the estimate shown), of the rule estimator it calibrates
 * and of the queue-length baseline over seeded clinic days.
 *
 * @packageDocumentation
 */
import type { WaitCalibrationTuning } from '../calibrated-wait-time-estimator.js';
import type { WaitTimeTuning } from '../wait-time-estimator.js';
import type { ClinicDayParameters } from './clinic-day.js';
import { simulateClinicDay, type SimulatedWait } from './simulate-clinic-day.js';

/**
 * Mean absolute errors, in minutes, of the patients who checked in during one hour of the day.
 *
 * @example
 * ```ts
 * const { hour, mae, baselineMae }: HourlyAccuracy = report.hourly[0]!;
 * ```
 */
export interface HourlyAccuracy {
  /** Hour of day of check-in, such as 8 for 08:00-08:59. */
  readonly hour: number;
  readonly patients: number;
  /** Of the P50 shown (the calibrated estimator's). */
  readonly mae: number;
  /** Of the uncalibrated rule estimator's P50. */
  readonly ruleMae: number;
  readonly baselineMae: number;
}

/**
 * How the estimators did over a set of seeded days. A point estimate is a P50 (the value that
 * minimises absolute error). Shares "over" a quantile are of the estimate shown, over all called
 * patients and over those who waited (a wait above zero): about a third of patients are called at
 * once, with a zero estimate that can never be exceeded, so only the second share says whether
 * the people who read an estimate can trust it.
 *
 * @example
 * ```ts
 * const improvement = 1 - report.mae / report.baselineMae;
 * ```
 */
export interface WaitTimeEvaluation {
  readonly seeds: readonly number[];
  /** Patients called (no-shows and walk-ins who left unseen have no wait to compare). */
  readonly patients: number;
  /** MAE of the P50 shown (the calibrated estimator's), in minutes. */
  readonly mae: number;
  /** MAE of the uncalibrated rule estimator's P50. */
  readonly ruleMae: number;
  readonly baselineMae: number;
  /** Share of patients whose actual wait was longer than their P90. */
  readonly overP90Share: number;
  /** Share of patients whose actual wait was longer than their P50. */
  readonly overP50Share: number;
  /** Share of patients who waited at all (actual wait above zero). */
  readonly waitedShare: number;
  /** Among patients who waited, the share whose wait was longer than their P90. */
  readonly overP90AmongWaited: number;
  /** Among patients who waited, the share whose wait was longer than their P50. */
  readonly overP50AmongWaited: number;
  readonly hourly: readonly HourlyAccuracy[];
}

/**
 * Options of {@link evaluateWaitTimeEstimators}.
 *
 * @example
 * ```ts
 * const options: EvaluateWaitTimeOptions = { seeds: [1, 2, 3] };
 * ```
 */
export interface EvaluateWaitTimeOptions {
  readonly seeds: readonly number[];
  /** @default CLINIC_DAY */
  readonly day?: ClinicDayParameters;
  /** @default the rule estimator's defaults */
  readonly tuning?: WaitTimeTuning;
  /** @default the calibration's defaults */
  readonly calibration?: WaitCalibrationTuning;
}

/**
 * Simulates one clinic day per seed and scores both estimators on every called patient. Tune on
 * seeds 1-10; report on seeds 11-40.
 *
 * @example
 * ```ts
 * import { evaluateWaitTimeEstimators } from '@carequeue/queue';
 *
 * const seeds = Array.from({ length: 30 }, (_, index) => index + 11);
 * const report = evaluateWaitTimeEstimators({ seeds });
 * ```
 */
export function evaluateWaitTimeEstimators(options: EvaluateWaitTimeOptions): WaitTimeEvaluation {
  const waits: SimulatedWait[] = options.seeds.flatMap((seed) =>
    simulateClinicDay({
      seed,
      ...(options.day === undefined ? {} : { day: options.day }),
      ...(options.tuning === undefined ? {} : { tuning: options.tuning }),
      ...(options.calibration === undefined ? {} : { calibration: options.calibration }),
    }),
  );
  const byHour = new Map<number, SimulatedWait[]>();
  for (const wait of waits) {
    const hour = Math.floor(wait.checkInMinute / 60);
    byHour.set(hour, [...(byHour.get(hour) ?? []), wait]);
  }
  const waited = waits.filter((wait) => wait.actualMinutes > 0);
  const overP90 = (wait: SimulatedWait): boolean => wait.actualMinutes > wait.p90Minutes;
  const overP50 = (wait: SimulatedWait): boolean => wait.actualMinutes > wait.p50Minutes;
  return {
    seeds: options.seeds,
    patients: waits.length,
    mae: meanAbsoluteError(waits, (wait) => wait.p50Minutes),
    ruleMae: meanAbsoluteError(waits, (wait) => wait.ruleP50Minutes),
    baselineMae: meanAbsoluteError(waits, (wait) => wait.baselineMinutes),
    overP90Share: share(waits, overP90),
    overP50Share: share(waits, overP50),
    waitedShare: waits.length === 0 ? 0 : waited.length / waits.length,
    overP90AmongWaited: share(waited, overP90),
    overP50AmongWaited: share(waited, overP50),
    hourly: [...byHour.entries()]
      .sort(([a], [b]) => a - b)
      .map(([hour, group]) => ({
        hour,
        patients: group.length,
        mae: meanAbsoluteError(group, (wait) => wait.p50Minutes),
        ruleMae: meanAbsoluteError(group, (wait) => wait.ruleP50Minutes),
        baselineMae: meanAbsoluteError(group, (wait) => wait.baselineMinutes),
      })),
  };
}

/**
 * Renders an evaluation as a Markdown table of MAE per hour of day, then the totals.
 *
 * @example
 * ```ts
 * import { evaluateWaitTimeEstimators, formatWaitTimeEvaluation } from '@carequeue/queue';
 *
 * console.log(formatWaitTimeEvaluation(evaluateWaitTimeEstimators({ seeds: [11, 12] })));
 * ```
 */
export function formatWaitTimeEvaluation(evaluation: WaitTimeEvaluation): string {
  const row = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  const minutes = (value: number): string => value.toFixed(1);
  const percent = (value: number): string => `${(value * 100).toFixed(1)}%`;
  return [
    row(['Check-in hour', 'Patients', 'MAE (min)', 'Rule MAE (min)', 'Baseline MAE (min)']),
    row(['---', '---:', '---:', '---:', '---:']),
    ...evaluation.hourly.map((hour) =>
      row([
        `${String(hour.hour).padStart(2, '0')}:00`,
        String(hour.patients),
        minutes(hour.mae),
        minutes(hour.ruleMae),
        minutes(hour.baselineMae),
      ]),
    ),
    row([
      'All',
      String(evaluation.patients),
      minutes(evaluation.mae),
      minutes(evaluation.ruleMae),
      minutes(evaluation.baselineMae),
    ]),
    '',
    `Longer than P50: ${percent(evaluation.overP50Share)} of all patients, ${percent(evaluation.overP50AmongWaited)} of those who waited; ` +
      `longer than P90: ${percent(evaluation.overP90Share)} of all, ${percent(evaluation.overP90AmongWaited)} of those who waited ` +
      `(${percent(evaluation.waitedShare)} waited).`,
  ].join('\n');
}

function meanAbsoluteError(
  waits: readonly SimulatedWait[],
  estimate: (wait: SimulatedWait) => number,
): number {
  if (waits.length === 0) return 0;
  return (
    waits.reduce((sum, wait) => sum + Math.abs(wait.actualMinutes - estimate(wait)), 0) /
    waits.length
  );
}

function share(
  waits: readonly SimulatedWait[],
  predicate: (wait: SimulatedWait) => boolean,
): number {
  if (waits.length === 0) return 0;
  return waits.filter(predicate).length / waits.length;
}
