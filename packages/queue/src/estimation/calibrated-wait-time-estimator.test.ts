import { ValidationError } from '@carequeue/core';
import { describe, expect, it } from 'vitest';
import { createCalibratedWaitTimeEstimator } from './calibrated-wait-time-estimator.js';
import { createServiceTimeTracker } from './service-time-tracker.js';
import { createWaitTimeEstimator, type QueueSnapshot } from './wait-time-estimator.js';
import { QueueConfigError } from '../config/queue-config-error.js';

const MINUTE = 60_000;
const SNAPSHOT: QueueSnapshot = {
  activeServers: 1,
  ahead: [{ serviceType: 'consultation' }, { serviceType: 'consultation' }],
  inService: [{ serviceType: 'consultation', elapsedMs: 0 }],
};

function calibrated() {
  const tracker = createServiceTimeTracker({
    defaultPrior: { meanMs: 10 * MINUTE, sdMs: 5 * MINUTE },
  });
  return createCalibratedWaitTimeEstimator({ rule: createWaitTimeEstimator({ tracker }) });
}

describe('createCalibratedWaitTimeEstimator', () => {
  it('serves the rule estimate until ten patients who waited have been called', () => {
    const estimator = calibrated();
    const first = estimator.estimate(SNAPSHOT);
    for (let called = 0; called < 9; called += 1) {
      estimator.observeCall({ rule: first.rule, waitedMs: 3 * first.rule.p50Ms });
    }
    const ninth = estimator.estimate(SNAPSHOT);
    expect(ninth.p50Ms).toBe(ninth.rule.p50Ms);
    expect(ninth.p90Ms).toBe(ninth.rule.p90Ms);
  });

  it('stretches P50 and P90 when patients keep waiting longer than the rule said', () => {
    const estimator = calibrated();
    const { rule } = estimator.estimate(SNAPSHOT);
    for (let called = 0; called < 40; called += 1) {
      estimator.observeCall({ rule, waitedMs: rule.p50Ms * (1.5 + (called % 10) / 20) });
    }
    const estimate = estimator.estimate(SNAPSHOT);
    expect(estimate.p50Ms).toBeGreaterThan(1.5 * rule.p50Ms);
    expect(estimate.p50Ms).toBeLessThan(2 * rule.p50Ms);
    expect(estimate.p90Ms).toBeGreaterThan(estimate.p50Ms);
  });

  it('shrinks P50 when patients are called sooner than the rule said', () => {
    const estimator = calibrated();
    const { rule } = estimator.estimate(SNAPSHOT);
    for (let called = 0; called < 40; called += 1) {
      estimator.observeCall({ rule, waitedMs: rule.p50Ms * (0.3 + (called % 10) / 50) });
    }
    const estimate = estimator.estimate(SNAPSHOT);
    expect(estimate.p50Ms).toBeLessThan(0.6 * rule.p50Ms);
    expect(estimate.p90Ms).toBeLessThan(rule.p90Ms);
  });

  describe('with patients still waiting', () => {
    function calledAroundTheRule() {
      const estimator = calibrated();
      const { rule } = estimator.estimate(SNAPSHOT);
      for (let called = 0; called < 40; called += 1) {
        estimator.observeCall({ rule, waitedMs: rule.p50Ms * (0.8 + (called % 10) / 20) });
      }
      return { estimator, rule, before: estimator.estimate(SNAPSHOT) };
    }

    it('stretches P50 and P90 when they have already waited longer than the called patients', () => {
      const { estimator, rule, before } = calledAroundTheRule();
      estimator.observeWaiting(
        Array.from({ length: 20 }, () => ({ rule, waitedMs: 2 * rule.p50Ms })),
      );
      const after = estimator.estimate(SNAPSHOT);
      expect(after.p50Ms).toBeGreaterThan(1.05 * before.p50Ms);
      expect(after.p90Ms).toBeGreaterThan(before.p90Ms);
    });

    it('takes a wait still running as a lower bound only, so a short one lowers nothing', () => {
      const { estimator, rule, before } = calledAroundTheRule();
      estimator.observeWaiting(
        Array.from({ length: 20 }, () => ({ rule, waitedMs: 0.1 * rule.p50Ms })),
      );
      expect(estimator.estimate(SNAPSHOT)).toEqual(before);
    });

    it('forgets them when a new list replaces theirs', () => {
      const { estimator, rule, before } = calledAroundTheRule();
      estimator.observeWaiting(
        Array.from({ length: 10 }, () => ({ rule, waitedMs: 3 * rule.p50Ms })),
      );
      expect(estimator.estimate(SNAPSHOT).p50Ms).toBeGreaterThan(before.p50Ms);
      estimator.observeWaiting([]);
      expect(estimator.estimate(SNAPSHOT)).toEqual(before);
    });

    it('ignores them with a waitingWeight of 0', () => {
      const tracker = createServiceTimeTracker({
        defaultPrior: { meanMs: 10 * MINUTE, sdMs: 5 * MINUTE },
      });
      const estimator = createCalibratedWaitTimeEstimator({
        rule: createWaitTimeEstimator({ tracker }),
        tuning: { waitingWeight: 0 },
      });
      const { rule } = estimator.estimate(SNAPSHOT);
      for (let called = 0; called < 40; called += 1) {
        estimator.observeCall({ rule, waitedMs: rule.p50Ms * (0.8 + (called % 10) / 20) });
      }
      const before = estimator.estimate(SNAPSHOT);
      estimator.observeWaiting(
        Array.from({ length: 10 }, () => ({ rule, waitedMs: 3 * rule.p50Ms })),
      );
      expect(estimator.estimate(SNAPSHOT)).toEqual(before);
    });

    it('refuses a negative wait so far or a list that is not an array with a ValidationError', () => {
      const { estimator, rule } = calledAroundTheRule();
      expect(() => estimator.observeWaiting([{ rule, waitedMs: -1 }])).toThrow(ValidationError);
      expect(() => estimator.observeWaiting({ rule, waitedMs: 1 } as never)).toThrow(
        ValidationError,
      );
    });
  });

  it('answers zero when a member of staff is free, however the day went', () => {
    const estimator = calibrated();
    const { rule } = estimator.estimate(SNAPSHOT);
    for (let called = 0; called < 20; called += 1) {
      estimator.observeCall({ rule, waitedMs: 2 * rule.p50Ms });
    }
    const free = estimator.estimate({ activeServers: 2, ahead: [], inService: [] });
    expect(free).toMatchObject({ p50Ms: 0, p90Ms: 0 });
  });

  it('refuses a negative wait or a P50 above the P90 with a ValidationError', () => {
    const estimator = calibrated();
    expect(() =>
      estimator.observeCall({ rule: { p50Ms: MINUTE, p90Ms: 2 * MINUTE }, waitedMs: -1 }),
    ).toThrow(ValidationError);
    expect(() =>
      estimator.observeCall({ rule: { p50Ms: 3 * MINUTE, p90Ms: 2 * MINUTE }, waitedMs: 1 }),
    ).toThrow(ValidationError);
  });

  it('refuses a missing rule or a tuning out of range with a QueueConfigError', () => {
    const rule = calibrated();
    expect(() => createCalibratedWaitTimeEstimator({} as never)).toThrow(QueueConfigError);
    expect(() => createCalibratedWaitTimeEstimator({ rule, tuning: { p90Level: 1.5 } })).toThrow(
      QueueConfigError,
    );
    expect(() =>
      createCalibratedWaitTimeEstimator({ rule, tuning: { window: 5, minimumSamples: 10 } }),
    ).toThrow(QueueConfigError);
    expect(() =>
      createCalibratedWaitTimeEstimator({ rule, tuning: { waitingWeight: -1 } }),
    ).toThrow(QueueConfigError);
  });
});
