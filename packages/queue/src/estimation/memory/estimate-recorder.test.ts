import { describe, expect, it } from 'vitest';
import type { EstimateRecord } from '../estimate-recorder.js';
import { memoryEstimateRecorder } from './estimate-recorder.js';
import { QueueConfigError } from '../../config/queue-config-error.js';

const MINUTE = 60_000;

function record(entryId: string, clinicId = 'clinic-1'): EstimateRecord {
  return {
    entryId,
    clinicId,
    estimatedAt: 0,
    source: 'rule',
    rule: { p50Ms: 10 * MINUTE, p90Ms: 20 * MINUTE },
    model: undefined,
  };
}

describe('memoryEstimateRecorder', () => {
  it('reports accuracy only for entries whose actual wait was recorded', async () => {
    const recorder = memoryEstimateRecorder();
    await recorder.recordEstimate(record('a'));
    await recorder.recordEstimate(record('b'));
    await recorder.recordActual('a', 25 * MINUTE);

    const rows = await recorder.accuracy();

    expect(rows.map((row) => [row.subject, row.count, row.maeMs, row.underPredictionRate])).toEqual(
      [
        ['served', 1, 15 * MINUTE, 1],
        ['rule', 1, 15 * MINUTE, 1],
      ],
    );
  });

  it('returns false when no estimate was recorded for the entry', async () => {
    await expect(memoryEstimateRecorder().recordActual('missing', MINUTE)).resolves.toBe(false);
  });

  it('filters by clinic when a clinic id is given', async () => {
    const recorder = memoryEstimateRecorder();
    await recorder.recordEstimate(record('a', 'clinic-1'));
    await recorder.recordEstimate(record('b', 'clinic-2'));
    await recorder.recordActual('a', MINUTE);
    await recorder.recordActual('b', MINUTE);

    const rows = await recorder.accuracy({ clinicId: 'clinic-2' });

    expect(new Set(rows.map((row) => row.clinicId))).toEqual(new Set(['clinic-2']));
  });

  it('drops the oldest entry when more than maxRecords are kept', async () => {
    const recorder = memoryEstimateRecorder({ maxRecords: 2 });
    await recorder.recordEstimate(record('a'));
    await recorder.recordEstimate(record('b'));
    await recorder.recordEstimate(record('c'));

    await expect(recorder.recordActual('a', MINUTE)).resolves.toBe(false);
    await expect(recorder.recordActual('c', MINUTE)).resolves.toBe(true);
  });

  it('rejects a negative or non-finite actual wait, and a null record, with a ValidationError naming it (raw RangeError and TypeError)', async () => {
    const recorder = memoryEstimateRecorder();
    await recorder.recordEstimate(record('a'));

    for (const actualWaitMs of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      await expect(recorder.recordActual('a', actualWaitMs)).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        issues: [{ path: 'actualWaitMs' }],
      });
    }
    await expect(recorder.recordEstimate(null as never)).rejects.toMatchObject({
      issues: [{ path: 'record' }],
    });
    await expect(recorder.recordActual('a', MINUTE)).resolves.toBe(true);
  });

  it('throws a QueueConfigError, not a raw RangeError, when maxRecords is not a positive integer', () => {
    expect(() => memoryEstimateRecorder({ maxRecords: 0 })).toThrow(QueueConfigError);
  });
});
