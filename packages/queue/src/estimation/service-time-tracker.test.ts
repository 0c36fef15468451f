import { describe, expect, it } from 'vitest';
import { createServiceTimeTracker } from './service-time-tracker.js';
import { QueueConfigError } from '../config/queue-config-error.js';

describe('createServiceTimeTracker', () => {
  it('answers the prior when a service type has no observations yet', () => {
    const tracker = createServiceTimeTracker({
      priors: { vaccination: { meanMs: 300_000, sdMs: 120_000 } },
      defaultPrior: { meanMs: 900_000, sdMs: 450_000 },
    });
    expect(tracker.moments('vaccination')).toEqual({ meanMs: 300_000, sdMs: 120_000 });
    expect(tracker.moments('other')).toEqual({ meanMs: 900_000, sdMs: 450_000 });
  });

  it('moves the mean toward observations and ignores invalid durations when observing', () => {
    const tracker = createServiceTimeTracker({
      defaultPrior: { meanMs: 600_000, sdMs: 0 },
      alpha: 0.5,
    });
    tracker.observe('consultation', 800_000);
    tracker.observe('consultation', Number.NaN);
    tracker.observe('consultation', -5);
    expect(tracker.moments('consultation').meanMs).toBe(700_000);
    expect(tracker.moments('consultation').sdMs).toBeCloseTo(
      Math.sqrt(0.5 * 0.5 * 200_000 ** 2),
      3,
    );
  });

  it('refuses a duration that is not a number with a ValidationError naming durationMs, instead of a raw TypeError from an object with no primitive value', () => {
    const tracker = createServiceTimeTracker({ defaultPrior: { meanMs: 600_000, sdMs: 0 } });
    for (const duration of [Object.create(null), { valueOf: Symbol }, '600000', 10n]) {
      expect(() => tracker.observe('consultation', duration as never)).toThrow(
        expect.objectContaining({
          code: 'VALIDATION_FAILED',
          issues: [expect.objectContaining({ path: 'durationMs' })],
        }) as Error,
      );
    }
    expect(tracker.moments('consultation').meanMs).toBe(600_000);
  });

  it('throws a QueueConfigError, not a raw RangeError, when alpha or a prior is out of range', () => {
    expect(() =>
      createServiceTimeTracker({ defaultPrior: { meanMs: 1, sdMs: 0 }, alpha: 0 }),
    ).toThrow(QueueConfigError);
    expect(() => createServiceTimeTracker({ defaultPrior: { meanMs: 0, sdMs: 0 } })).toThrow(
      QueueConfigError,
    );
  });
});
