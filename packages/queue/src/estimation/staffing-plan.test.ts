import { describe, expect, it } from 'vitest';
import { waitUnderStaffingPlan } from './staffing-plan.js';

const MINUTE = 60_000;

describe('waitUnderStaffingPlan', () => {
  it('keeps the wait when no change is planned before it ends', () => {
    expect(waitUnderStaffingPlan(20 * MINUTE, 2, [])).toBe(20 * MINUTE);
    expect(
      waitUnderStaffingPlan(20 * MINUTE, 2, [{ afterMs: 30 * MINUTE, activeServers: 1 }]),
    ).toBe(20 * MINUTE);
  });

  it('spends the same staff time at the planned staffing', () => {
    // 60 min at 2 staff is 120 staff-minutes: 30 at 2 (60), then 60 at 1.
    expect(
      waitUnderStaffingPlan(60 * MINUTE, 2, [{ afterMs: 30 * MINUTE, activeServers: 1 }]),
    ).toBe(90 * MINUTE);
    // 60 min at 1 is 60 staff-minutes: 30 at 1, then 15 at 2.
    expect(
      waitUnderStaffingPlan(60 * MINUTE, 1, [
        { afterMs: 30 * MINUTE, activeServers: 2 },
        { afterMs: 50 * MINUTE, activeServers: 3 },
      ]),
    ).toBe(45 * MINUTE);
  });
});
