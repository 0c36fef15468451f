import { describe, expect, it } from 'vitest';
import { CLINIC_DAY } from './clinic-day.js';
import { CLINIC_DAY_SCENARIOS } from './clinic-day-scenarios.js';
import {
  evaluateWaitTimeEstimators,
  formatWaitTimeEvaluation,
} from './evaluate-wait-time-estimators.js';

const REPORT_SEEDS = Array.from({ length: 30 }, (_, index) => index + 11);

// Acceptance checks the calibration does not meet yet, as `scenario:check`. Each one is run with
// `it.fails`, so it is reported and the suite breaks as soon as the gap closes (then remove it).
const KNOWN_GAPS = new Set<string>();
const check = (scenario: string, name: string) =>
  KNOWN_GAPS.has(`${scenario}:${name}`) ? it.fails : it;

describe('evaluateWaitTimeEstimators', () => {
  const report = evaluateWaitTimeEstimators({ seeds: REPORT_SEEDS });

  it('keeps the shown MAE at most 3.0 min and 20% below the baseline on the reference day, seeds 11-40', () => {
    expect(report.patients).toBeGreaterThan(2000);
    expect(report.mae).toBeLessThanOrEqual(3.0);
    expect(report.mae).toBeLessThanOrEqual(0.8 * report.baselineMae);
  });

  it('leaves 5-15% of the patients who waited above P90 and 40-60% above P50 on the reference day', () => {
    expect(report.overP90AmongWaited).toBeGreaterThanOrEqual(0.05);
    expect(report.overP90AmongWaited).toBeLessThanOrEqual(0.15);
    expect(report.overP50AmongWaited).toBeGreaterThanOrEqual(0.4);
    expect(report.overP50AmongWaited).toBeLessThanOrEqual(0.6);
  });

  it('counts coverage among patients who waited apart from coverage over all patients', () => {
    // A third of patients are called at once: their zero wait is never over, so the shares differ.
    expect(report.waitedShare).toBeGreaterThan(0.4);
    expect(report.waitedShare).toBeLessThan(0.8);
    expect(report.overP50AmongWaited).toBeCloseTo(report.overP50Share / report.waitedShare, 10);
    expect(report.overP90AmongWaited).toBeCloseTo(report.overP90Share / report.waitedShare, 10);
  });

  it('reports every opening hour with the three MAEs and both coverages when formatted', () => {
    expect(report.hourly.map((hour) => hour.hour).slice(0, 10)).toEqual([
      8, 9, 10, 11, 12, 13, 14, 15, 16, 17,
    ]);
    const table = formatWaitTimeEvaluation(report);
    expect(table).toContain('| 12:00 |');
    expect(table).toContain(`| All | ${report.patients} |`);
    expect(table).toContain('of those who waited');
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
    expect(empty.mae).toBe(0);
    expect(empty.overP90Share).toBe(0);
    expect(empty.overP90AmongWaited).toBe(0);
  });
});

describe('the scenario suite, scored on seeds 11-40', () => {
  it('has at least six scenarios, among them a busier day, one staff member fewer and a quiet day', () => {
    const names = CLINIC_DAY_SCENARIOS.map((scenario) => scenario.name);
    expect(names.length).toBeGreaterThanOrEqual(6);
    expect(names).toEqual(expect.arrayContaining(['busier', 'short-staffed', 'quiet']));
    expect(new Set(names).size).toBe(names.length);
  });

  describe.each(CLINIC_DAY_SCENARIOS.map((scenario) => [scenario.name, scenario.day] as const))(
    '%s',
    (name, day) => {
      const evaluation = evaluateWaitTimeEstimators({ seeds: REPORT_SEEDS, day });

      check(name, 'mae')('keeps the shown MAE at least 20% below the baseline', () => {
        expect(evaluation.mae).toBeLessThanOrEqual(0.8 * evaluation.baselineMae);
      });

      check(name, 'p90')('leaves 5-15% of the patients who waited above P90', () => {
        expect(evaluation.overP90AmongWaited).toBeGreaterThanOrEqual(0.05);
        expect(evaluation.overP90AmongWaited).toBeLessThanOrEqual(0.15);
      });

      check(name, 'p50')('leaves 40-60% of the patients who waited above P50', () => {
        expect(evaluation.overP50AmongWaited).toBeGreaterThanOrEqual(0.4);
        expect(evaluation.overP50AmongWaited).toBeLessThanOrEqual(0.6);
      });
    },
  );
});
