/**
 * Accuracy of the rule estimator against the queue-length baseline over seeded clinic days.
 *
 * @packageDocumentation
 */
import type { WaitTimeTuning } from '../wait-time-estimator.js';
import type { ClinicDayParameters } from './clinic-day.js';
import { simulateClinicDay, type SimulatedWait } from './simulate-clinic-day.js';

/**
 * Mean absolute errors, in minutes, of the patients who checked in during one hour of the day.
 *
 * @example
 * ```ts
 * const { hour, ruleMae, baselineMae }: HourlyAccuracy = report.hourly[0]!;
 * ```
 */
export interface HourlyAccuracy {
  /** Hour of day of check-in, such as 8 for 08:00-08:59. */
  readonly hour: number;
  readonly patients: number;
  readonly ruleMae: number;
  readonly baselineMae: number;
}

/**
 * How both estimators did over a set of seeded days. The rule estimator's point estimate is its
 * P50 (the value that minimises absolute error).
 *
 * @example
 * ```ts
 * const improvement = 1 - report.ruleMae / report.baselineMae;
 * ```
 */
export interface WaitTimeEvaluation {
  readonly seeds: readonly number[];
  /** Patients called (no-shows and walk-ins who left unseen have no wait to compare). */
  readonly patients: number;
  readonly ruleMae: number;
  readonly baselineMae: number;
  /** Share of patients whose actual wait was longer than their P90. */
  readonly overP90Share: number;
  /** Share of patients whose actual wait was longer than their P50. */
  readonly overP50Share: number;
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
    }),
  );
  const byHour = new Map<number, SimulatedWait[]>();
  for (const wait of waits) {
    const hour = Math.floor(wait.checkInMinute / 60);
    byHour.set(hour, [...(byHour.get(hour) ?? []), wait]);
  }
  return {
    seeds: options.seeds,
    patients: waits.length,
    ruleMae: meanAbsoluteError(waits, (wait) => wait.ruleP50Minutes),
    baselineMae: meanAbsoluteError(waits, (wait) => wait.baselineMinutes),
    overP90Share: share(waits, (wait) => wait.actualMinutes > wait.ruleP90Minutes),
    overP50Share: share(waits, (wait) => wait.actualMinutes > wait.ruleP50Minutes),
    hourly: [...byHour.entries()]
      .sort(([a], [b]) => a - b)
      .map(([hour, group]) => ({
        hour,
        patients: group.length,
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
    row(['Check-in hour', 'Patients', 'Rule MAE (min)', 'Baseline MAE (min)']),
    row(['---', '---:', '---:', '---:']),
    ...evaluation.hourly.map((hour) =>
      row([
        `${String(hour.hour).padStart(2, '0')}:00`,
        String(hour.patients),
        minutes(hour.ruleMae),
        minutes(hour.baselineMae),
      ]),
    ),
    row([
      'All',
      String(evaluation.patients),
      minutes(evaluation.ruleMae),
      minutes(evaluation.baselineMae),
    ]),
    '',
    `Longer than P50: ${percent(evaluation.overP50Share)}; longer than P90: ${percent(evaluation.overP90Share)}.`,
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
