import { describe, expect, it } from 'vitest';
import { CLINIC_DAY } from './clinic-day.js';
import {
  evaluateWaitTimeEstimators,
  formatWaitTimeEvaluation,
} from './evaluate-wait-time-estimators.js';

const REPORT_SEEDS = Array.from({ length: 30 }, (_, index) => index + 11);

describe('evaluateWaitTimeEstimators', () => {
  const report = evaluateWaitTimeEstimators({ seeds: REPORT_SEEDS });

  it('beats the queue-length baseline MAE by at least 20% when scored on seeds 11-40', () => {
    expect(report.patients).toBeGreaterThan(2000);
    expect(report.ruleMae).toBeLessThanOrEqual(0.8 * report.baselineMae);
  });

  it('leaves 5-15% of patients above P90 and 35-65% above P50 when scored on seeds 11-40', () => {
    expect(report.overP90Share).toBeGreaterThanOrEqual(0.05);
    expect(report.overP90Share).toBeLessThanOrEqual(0.15);
    expect(report.overP50Share).toBeGreaterThanOrEqual(0.35);
    expect(report.overP50Share).toBeLessThanOrEqual(0.65);
  });

  it('reports every opening hour with both MAEs when formatted', () => {
    expect(report.hourly.map((hour) => hour.hour).slice(0, 10)).toEqual([
      8, 9, 10, 11, 12, 13, 14, 15, 16, 17,
    ]);
    const table = formatWaitTimeEvaluation(report);
    expect(table).toContain('| 12:00 |');
    expect(table).toContain(`| All | ${report.patients} |`);
  });

  it('gives the same report when run twice with the same seeds', () => {
    const again = evaluateWaitTimeEstimators({ seeds: [11, 12] });
    expect(evaluateWaitTimeEstimators({ seeds: [11, 12] })).toEqual(again);
  });

  it('returns zero errors when no patient is simulated', () => {
    const empty = evaluateWaitTimeEstimators({
      seeds: [1],
      day: { ...CLINIC_DAY, walkInsPerHour: [{ fromMinute: 480, value: 0.0001 }], noShowShare: 1 },
      tuning: { driftSpread: 0.2 },
    });
    expect(empty.patients).toBe(0);
    expect(empty.ruleMae).toBe(0);
    expect(empty.overP90Share).toBe(0);
  });
});
