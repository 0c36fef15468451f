import { describe, expect, it } from 'vitest';
import { parseBenchOptions } from './cli-options.js';

describe('parseBenchOptions', () => {
  it('selects every case once when given no arguments', () => {
    expect(parseBenchOptions([])).toEqual({ suite: null, repeat: 1, smoke: false });
  });

  it('reads the suite, repeat count and smoke flag when given them', () => {
    expect(parseBenchOptions(['resilience', '--repeat', '3', '--smoke'])).toEqual({
      suite: 'resilience',
      repeat: 3,
      smoke: true,
    });
  });

  it('throws when more than one suite is given', () => {
    expect(() => parseBenchOptions(['core', 'cache'])).toThrow(/at most one suite/);
  });

  it('throws when the repeat count is not a whole number of at least 1', () => {
    expect(() => parseBenchOptions(['--repeat', '0'])).toThrow(/--repeat/);
    expect(() => parseBenchOptions(['--repeat', '2.5'])).toThrow(/--repeat/);
  });

  it('throws when given an unknown flag', () => {
    expect(() => parseBenchOptions(['--fast'])).toThrow(TypeError);
  });
});
