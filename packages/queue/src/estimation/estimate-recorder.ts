/**
 * The port that keeps wait-time estimates and actual waits, so accuracy can be tracked.
 *
 * @packageDocumentation
 */
import type { WaitTimeAccuracy } from './wait-time-accuracy.js';
import type { WaitEstimate } from './wait-time-estimator.js';

/**
 * Which estimator answered: the rule estimator or the external model.
 *
 * @example
 * ```ts
 * const source: EstimateSource = 'rule';
 * ```
 */
export type EstimateSource = 'rule' | 'model';

/**
 * Both estimates taken when a patient checked in.
 *
 * @example
 * ```ts
 * const record: EstimateRecord = {
 *   entryId: 'entry-1',
 *   clinicId: 'clinic-1',
 *   estimatedAt: Date.UTC(2026, 0, 1, 9),
 *   source: 'rule',
 *   rule: { p50Ms: 600_000, p90Ms: 1_200_000 },
 *   model: undefined,
 * };
 * ```
 */
export interface EstimateRecord {
  /** The queue entry the estimate is for. */
  readonly entryId: string;
  readonly clinicId: string;
  /** Clock time of the estimate, in ms. */
  readonly estimatedAt: number;
  /** Which of the two values the patient was shown. */
  readonly source: EstimateSource;
  readonly rule: WaitEstimate;
  /**
   * The model's answer when it gave finite, non-negative values with P50 at most P90 in time,
   * even when it fell outside the sanity band; `undefined` otherwise.
   */
  readonly model: WaitEstimate | undefined;
}

/**
 * An {@link EstimateRecord} with the wait the patient actually had, once called.
 *
 * @example
 * ```ts
 * const pair: RecordedEstimate = { ...record, actualWaitMs: 540_000 };
 * ```
 */
export interface RecordedEstimate extends EstimateRecord {
  /** Time from check-in until the patient was called, in ms; `undefined` until then. */
  readonly actualWaitMs: number | undefined;
}

/**
 * Filters of {@link EstimateRecorder.accuracy}.
 *
 * @example
 * ```ts
 * const query: AccuracyQuery = { clinicId: 'clinic-1' };
 * ```
 */
export interface AccuracyQuery {
  /** Only this clinic. */
  readonly clinicId?: string;
}

/**
 * Stores estimates and actual waits and reports accuracy from the completed pairs.
 *
 * @example
 * ```ts
 * await recorder.recordEstimate(record);
 * await recorder.recordActual('entry-1', 540_000);
 * const rows = await recorder.accuracy({ clinicId: 'clinic-1' });
 * ```
 */
export interface EstimateRecorder {
  /** Keeps the estimates of one check-in; a second record for the same entry replaces the first. */
  recordEstimate(record: EstimateRecord): Promise<void>;
  /**
   * Adds the actual wait of an entry when its patient is called.
   *
   * @returns whether an estimate for the entry was found.
   * @throws RangeError when `actualWaitMs` is negative or not finite.
   */
  recordActual(entryId: string, actualWaitMs: number): Promise<boolean>;
  /** MAE and under-prediction rate per clinic and per estimate, from entries with an actual wait. */
  accuracy(query?: AccuracyQuery): Promise<readonly WaitTimeAccuracy[]>;
}
