import { ValidationError } from '@carequeue/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createServiceTimeTracker } from './service-time-tracker.js';
import { createWaitTimeEstimator, type QueueSnapshot } from './wait-time-estimator.js';
import { QueueConfigError } from '../config/queue-config-error.js';

const MINUTE = 60_000;
const TYPES = ['consultation', 'vaccination', 'follow-up'] as const;

function estimator() {
  const tracker = createServiceTimeTracker({
    priors: {
      consultation: { meanMs: 12 * MINUTE, sdMs: 6 * MINUTE },
      vaccination: { meanMs: 5 * MINUTE, sdMs: 2 * MINUTE },
    },
    defaultPrior: { meanMs: 15 * MINUTE, sdMs: 8 * MINUTE },
  });
  return createWaitTimeEstimator({ tracker });
}

const snapshotArbitrary = fc.record({
  activeServers: fc.integer({ min: 1, max: 6 }),
  ahead: fc.array(fc.record({ serviceType: fc.constantFrom(...TYPES) }), { maxLength: 40 }),
  inService: fc.array(
    fc.record({
      serviceType: fc.constantFrom(...TYPES),
      elapsedMs: fc.integer({ min: 0, max: 90 * MINUTE }),
    }),
    { maxLength: 6 },
  ),
});

describe('createWaitTimeEstimator', () => {
  it('keeps P90 >= P50 >= 0 when given any queue', () => {
    const rule = estimator();
    fc.assert(
      fc.property(snapshotArbitrary, (snapshot) => {
        const { p50Ms, p90Ms } = rule.estimate(snapshot);
        expect(p50Ms).toBeGreaterThanOrEqual(0);
        expect(p90Ms).toBeGreaterThanOrEqual(p50Ms);
      }),
    );
  });

  it('never raises P50 or P90 when one more server is active', () => {
    const rule = estimator();
    fc.assert(
      fc.property(snapshotArbitrary, (snapshot: QueueSnapshot) => {
        const fewer = rule.estimate(snapshot);
        const more = rule.estimate({ ...snapshot, activeServers: snapshot.activeServers + 1 });
        expect(more.p50Ms).toBeLessThanOrEqual(fewer.p50Ms + 1e-6);
        expect(more.p90Ms).toBeLessThanOrEqual(fewer.p90Ms + 1e-6);
      }),
    );
  });

  it('answers zero when a server is free and nobody is ahead', () => {
    expect(
      estimator().estimate({
        activeServers: 2,
        ahead: [],
        inService: [{ serviceType: 'consultation', elapsedMs: MINUTE }],
      }),
    ).toEqual({ p50Ms: 0, p90Ms: 0 });
  });

  it('waits longer when more patients are ahead', () => {
    const rule = estimator();
    const one = rule.estimate({
      activeServers: 1,
      ahead: [{ serviceType: 'consultation' }],
      inService: [],
    });
    const three = rule.estimate({
      activeServers: 1,
      ahead: [
        { serviceType: 'consultation' },
        { serviceType: 'consultation' },
        { serviceType: 'vaccination' },
      ],
      inService: [],
    });
    expect(three.p50Ms).toBeGreaterThan(one.p50Ms);
  });

  it('expects less remaining time when the patient in service has been there longer', () => {
    const rule = estimator();
    const early = rule.estimate({
      activeServers: 1,
      ahead: [],
      inService: [{ serviceType: 'vaccination', elapsedMs: 0 }],
    });
    const late = rule.estimate({
      activeServers: 1,
      ahead: [],
      inService: [{ serviceType: 'vaccination', elapsedMs: 4 * MINUTE }],
    });
    expect(late.p50Ms).toBeLessThan(early.p50Ms);
    expect(late.p50Ms).toBeGreaterThan(0);
  });

  it('throws a QueueConfigError, not a raw RangeError, when tuning is negative', () => {
    const tracker = createServiceTimeTracker({ defaultPrior: { meanMs: MINUTE, sdMs: 0 } });
    expect(() => createWaitTimeEstimator({ tracker, tuning: { driftSpread: -1 } })).toThrow(
      QueueConfigError,
    );
  });

  it('throws a ValidationError naming snapshot.activeServers for 0 or a billion servers, instead of a raw RangeError or allocating a billion server loads', () => {
    for (const activeServers of [0, 1e9, 2.5, Number.NaN]) {
      expect(() => estimator().estimate({ activeServers, ahead: [], inService: [] })).toThrow(
        expect.objectContaining({
          code: 'VALIDATION_FAILED',
          issues: [expect.objectContaining({ path: 'snapshot.activeServers' })],
        }),
      );
    }
    expect(() => estimator().estimate(null as never)).toThrow(ValidationError);
  });
});
