/**
 * Accuracy of wait-time estimates against actual waits.
 *
 * @packageDocumentation
 */
import type { RecordedEstimate } from './estimate-recorder.js';
import type { WaitEstimate } from './wait-time-estimator.js';

/**
 * Which estimate a row scores: the one shown to the patient, the rule estimator's, or the model's
 * (over the entries where the model answered).
 *
 * @example
 * ```ts
 * const subject: AccuracySubject = 'served';
 * ```
 */
export type AccuracySubject = 'served' | 'rule' | 'model';

/**
 * Accuracy of one estimate in one clinic.
 *
 * @example
 * ```ts
 * const row: WaitTimeAccuracy = {
 *   clinicId: 'clinic-1',
 *   subject: 'rule',
 *   count: 120,
 *   maeMs: 240_000,
 *   underPredictionRate: 0.09,
 * };
 * ```
 */
export interface WaitTimeAccuracy {
  readonly clinicId: string;
  readonly subject: AccuracySubject;
  /** Entries scored. */
  readonly count: number;
  /** Mean absolute error of the P50 estimate against the actual wait, in ms. */
  readonly maeMs: number;
  /** Share of entries whose actual wait was longer than the P90 estimate. */
  readonly underPredictionRate: number;
}

interface Tally {
  count: number;
  absoluteError: number;
  under: number;
}

const SUBJECTS: readonly AccuracySubject[] = ['served', 'rule', 'model'];

/**
 * Computes MAE and under-prediction rate per clinic and subject from recorded estimates; entries
 * without an actual wait are skipped. Rows are ordered by clinic, then served, rule, model; a
 * subject with no scored entry has no row.
 *
 * @example
 * ```ts
 * import { summarizeWaitTimeAccuracy } from '@carequeue/queue';
 *
 * const rows = summarizeWaitTimeAccuracy(pairs);
 * const served = rows.find((row) => row.clinicId === 'clinic-1' && row.subject === 'served');
 * ```
 */
export function summarizeWaitTimeAccuracy(records: Iterable<RecordedEstimate>): WaitTimeAccuracy[] {
  const tallies = new Map<string, Map<AccuracySubject, Tally>>();
  for (const record of records) {
    const actual = record.actualWaitMs;
    if (actual === undefined) continue;
    let clinic = tallies.get(record.clinicId);
    if (clinic === undefined) {
      clinic = new Map();
      tallies.set(record.clinicId, clinic);
    }
    const served =
      record.source === 'model' && record.model !== undefined ? record.model : record.rule;
    add(clinic, 'served', served, actual);
    add(clinic, 'rule', record.rule, actual);
    if (record.model !== undefined) add(clinic, 'model', record.model, actual);
  }
  const rows: WaitTimeAccuracy[] = [];
  for (const clinicId of [...tallies.keys()].sort()) {
    const clinic = tallies.get(clinicId) as Map<AccuracySubject, Tally>;
    for (const subject of SUBJECTS) {
      const tally = clinic.get(subject);
      if (tally === undefined) continue;
      rows.push({
        clinicId,
        subject,
        count: tally.count,
        maeMs: tally.absoluteError / tally.count,
        underPredictionRate: tally.under / tally.count,
      });
    }
  }
  return rows;
}

function add(
  clinic: Map<AccuracySubject, Tally>,
  subject: AccuracySubject,
  estimate: WaitEstimate,
  actual: number,
): void {
  let tally = clinic.get(subject);
  if (tally === undefined) {
    tally = { count: 0, absoluteError: 0, under: 0 };
    clinic.set(subject, tally);
  }
  tally.count += 1;
  tally.absoluteError += Math.abs(actual - estimate.p50Ms);
  if (actual > estimate.p90Ms) tally.under += 1;
}
