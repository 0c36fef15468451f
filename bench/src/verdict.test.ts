import { describe, expect, it } from 'vitest';
import { ratioOf, verdictOf } from './verdict.js';

describe('ratioOf', () => {
  it('divides our median by the peer median when there is a peer', () => {
    expect(ratioOf(640, 800)).toBe(0.8);
  });

  it('returns null when there is no peer', () => {
    expect(ratioOf(640, null)).toBeNull();
  });

  it('throws when the peer median is zero', () => {
    expect(() => ratioOf(1, 0)).toThrow(RangeError);
  });
});

describe('verdictOf', () => {
  it('meets a lower-is-better target when the ratio is at or below it', () => {
    expect(verdictOf({ better: 'lower', target: 1.15, ratio: 1.15, ours: 9 })).toBe('met');
    expect(verdictOf({ better: 'lower', target: 1.15, ratio: 1.2, ours: 1 })).toBe('missed');
  });

  it('meets a higher-is-better target when the ratio is at or above it', () => {
    expect(verdictOf({ better: 'higher', target: 0.85, ratio: 0.9, ours: 1 })).toBe('met');
    expect(verdictOf({ better: 'higher', target: 0.85, ratio: 0.8, ours: 9e9 })).toBe('missed');
  });

  it('judges our own figure when there is no peer', () => {
    expect(verdictOf({ better: 'higher', target: 30_000, ratio: null, ours: 31_000 })).toBe('met');
    expect(verdictOf({ better: 'lower', target: 5, ratio: null, ours: 6 })).toBe('missed');
  });

  it('reports no target when the target is null', () => {
    expect(verdictOf({ better: 'lower', target: null, ratio: 2, ours: 1 })).toBe('no target');
  });
});
