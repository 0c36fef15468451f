import { describe, expect, it } from 'vitest';
import { checkStability, formatStability } from './repeat-stability.js';

describe('checkStability', () => {
  it('reports a case as stable when every side stays within 10% across repeats', () => {
    const [entry] = checkStability([
      [{ id: 'core.id.uuidv7', ours: [100, 100, 100], peer: [200] }],
      [{ id: 'core.id.uuidv7', ours: [105], peer: [205] }],
      [{ id: 'core.id.uuidv7', ours: [108], peer: [195] }],
    ]);
    expect(entry?.stable).toBe(true);
    expect(entry?.ours.medians).toEqual([100, 105, 108]);
    expect(entry?.ours.spread).toBeCloseTo(0.08);
    expect(entry?.peer?.spread).toBeCloseTo(10 / 195);
  });

  it('reports a case as unstable when one side drifts more than 10%', () => {
    const [entry] = checkStability([
      [{ id: 'core.id.uuidv7', ours: [100], peer: [200] }],
      [{ id: 'core.id.uuidv7', ours: [100], peer: [260] }],
    ]);
    expect(entry?.stable).toBe(false);
  });

  it('checks only our side when the case has no peer', () => {
    const [entry] = checkStability([
      [{ id: 'cache.bus.delay', ours: [4], peer: null }],
      [{ id: 'cache.bus.delay', ours: [4], peer: null }],
    ]);
    expect(entry).toMatchObject({ peer: null, stable: true, ours: { spread: 0 } });
  });
});

describe('formatStability', () => {
  it('prints each spread and a summary counting unstable cases when some drift', () => {
    const lines = formatStability(
      checkStability([
        [
          { id: 'a.b.c', ours: [100], peer: [200] },
          { id: 'd.e.f', ours: [10], peer: null },
        ],
        [
          { id: 'a.b.c', ours: [150], peer: [200] },
          { id: 'd.e.f', ours: [10], peer: null },
        ],
      ]),
    );
    expect(lines[0]).toBe(
      'UNSTABLE a.b.c: ours spread 50.0% (medians 100, 150); peer spread 0.0% (medians 200, 200)',
    );
    expect(lines[1]).toMatch(/^stable +d\.e\.f: ours spread 0\.0%/);
    expect(lines[2]).toBe('1 of 2 case(s) drift more than 10% across repeats.');
  });

  it('prints an all-clear summary when every case agrees', () => {
    const lines = formatStability(checkStability([[{ id: 'a.b.c', ours: [1], peer: null }]]));
    expect(lines.at(-1)).toBe('All 1 case(s) agree within 10% across repeats.');
  });
});
