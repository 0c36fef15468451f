import { describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS } from './index.js';

describe('durations', () => {
  it('counts each unit in milliseconds as Date arithmetic does', () => {
    const start = Date.parse('2026-03-02T08:00:00.000Z');
    expect(Date.parse('2026-03-02T08:00:01.000Z') - start).toBe(SECOND_MS);
    expect(Date.parse('2026-03-02T08:01:00.000Z') - start).toBe(MINUTE_MS);
    expect(Date.parse('2026-03-02T09:00:00.000Z') - start).toBe(HOUR_MS);
    expect(Date.parse('2026-03-03T08:00:00.000Z') - start).toBe(DAY_MS);
  });

  it('builds each unit from the one below it', () => {
    expect([MINUTE_MS / SECOND_MS, HOUR_MS / MINUTE_MS, DAY_MS / HOUR_MS]).toEqual([60, 60, 24]);
  });

  it('measures elapsed time, so a local day across a DST change is not DAY_MS long', () => {
    // Paris moved its clocks forward at 02:00 local time on 2026-03-29: that day lasted 23 hours.
    const midnightBefore = Date.parse('2026-03-29T00:00:00+01:00');
    const midnightAfter = Date.parse('2026-03-30T00:00:00+02:00');
    expect(midnightAfter - midnightBefore).toBe(DAY_MS - HOUR_MS);
  });
});
