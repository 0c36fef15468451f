import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  STEADY_STEP_FLOOR_MS,
  STEADY_STEP_SHARE,
  steadyWaitEstimate,
  type ShownWaitEstimate,
} from './steady-wait-estimate.js';

const MINUTE = 60_000;
const estimateArbitrary = fc
  .tuple(
    fc.double({ min: 0, max: 300 * MINUTE, noNaN: true }),
    fc.double({ min: 0, max: 120 * MINUTE, noNaN: true }),
  )
  .map(([p50Ms, spread]) => ({ p50Ms, p90Ms: p50Ms + spread }));

describe('steadyWaitEstimate', () => {
  it('never moves the shown P50 by more than max(2 min, 15%) between updates at the same place', () => {
    fc.assert(
      fc.property(
        estimateArbitrary,
        fc.array(estimateArbitrary, { maxLength: 30 }),
        (first, updates) => {
          let shown: ShownWaitEstimate = steadyWaitEstimate(undefined, first, 5);
          for (const update of updates) {
            const next = steadyWaitEstimate(shown, update, 5);
            const bound = Math.max(STEADY_STEP_FLOOR_MS, STEADY_STEP_SHARE * shown.p50Ms);
            expect(Math.abs(next.p50Ms - shown.p50Ms)).toBeLessThanOrEqual(bound + 1e-6);
            expect(next.p90Ms).toBeGreaterThanOrEqual(next.p50Ms);
            shown = next;
          }
        },
      ),
    );
  });

  it('reaches the fresh estimate in steps when it stays put', () => {
    let shown = steadyWaitEstimate(undefined, { p50Ms: 10 * MINUTE, p90Ms: 15 * MINUTE }, 2);
    const fresh = { p50Ms: 30 * MINUTE, p90Ms: 40 * MINUTE };
    const steps: number[] = [];
    for (let update = 0; update < 12; update += 1) {
      shown = steadyWaitEstimate(shown, fresh, 2);
      steps.push(Math.round(shown.p50Ms / 1000));
    }
    expect(steps.slice(0, 3)).toEqual([720, 840, 966]);
    expect(shown).toEqual({ p50Ms: 30 * MINUTE, p90Ms: 40 * MINUTE, position: 2 });
  });

  it('shows the fresh estimate as it is when the place changed or nothing was shown', () => {
    const last = { p50Ms: 10 * MINUTE, p90Ms: 15 * MINUTE, position: 4 };
    const fresh = { p50Ms: 2 * MINUTE, p90Ms: 5 * MINUTE };
    expect(steadyWaitEstimate(last, fresh, 3)).toEqual({ ...fresh, position: 3 });
    expect(steadyWaitEstimate(undefined, fresh, 4)).toEqual({ ...fresh, position: 4 });
  });
});
