import { describe, expect, it } from 'vitest';
import type { RecordedEstimate } from './estimate-recorder.js';
import { summarizeWaitTimeAccuracy } from './wait-time-accuracy.js';

const MINUTE = 60_000;

function pair(overrides: Partial<RecordedEstimate>): RecordedEstimate {
  return {
    entryId: 'entry',
    clinicId: 'clinic-1',
    estimatedAt: 0,
    source: 'rule',
    rule: { p50Ms: 10 * MINUTE, p90Ms: 20 * MINUTE },
    model: undefined,
    actualWaitMs: 10 * MINUTE,
    ...overrides,
  };
}

describe('summarizeWaitTimeAccuracy', () => {
  it('computes MAE and under-prediction rate per clinic and subject when pairs are complete', () => {
    const rows = summarizeWaitTimeAccuracy([
      pair({
        source: 'model',
        model: { p50Ms: 12 * MINUTE, p90Ms: 15 * MINUTE },
        actualWaitMs: 16 * MINUTE,
      }),
      pair({ actualWaitMs: 30 * MINUTE }),
      pair({ clinicId: 'clinic-0', actualWaitMs: 8 * MINUTE }),
    ]);

    expect(rows).toEqual([
      {
        clinicId: 'clinic-0',
        subject: 'served',
        count: 1,
        maeMs: 2 * MINUTE,
        underPredictionRate: 0,
      },
      {
        clinicId: 'clinic-0',
        subject: 'rule',
        count: 1,
        maeMs: 2 * MINUTE,
        underPredictionRate: 0,
      },
      {
        clinicId: 'clinic-1',
        subject: 'served',
        count: 2,
        maeMs: 12 * MINUTE,
        underPredictionRate: 1,
      },
      {
        clinicId: 'clinic-1',
        subject: 'rule',
        count: 2,
        maeMs: 13 * MINUTE,
        underPredictionRate: 0.5,
      },
      {
        clinicId: 'clinic-1',
        subject: 'model',
        count: 1,
        maeMs: 4 * MINUTE,
        underPredictionRate: 1,
      },
    ]);
  });

  it('returns no rows when no actual wait was recorded', () => {
    expect(summarizeWaitTimeAccuracy([pair({ actualWaitMs: undefined })])).toEqual([]);
  });
});
