import { describe, expect, it } from 'vitest';
import { belongsToSuite, selectCases } from './select-cases.js';

const cases = [
  { id: 'core.id.uuidv7' },
  { id: 'resilience.breaker.execute' },
  { id: 'resilience.retry.success' },
];

describe('belongsToSuite', () => {
  it('matches when the id starts with the suite and a dot', () => {
    expect(belongsToSuite('resilience.breaker.execute', 'resilience')).toBe(true);
  });

  it('matches an area or a whole case id', () => {
    expect(belongsToSuite('resilience.breaker.execute', 'resilience.breaker')).toBe(true);
    expect(belongsToSuite('resilience.breaker.execute', 'resilience.breaker.execute')).toBe(true);
    expect(belongsToSuite('resilience.breaker.execute-timeout', 'resilience.breaker.execute')).toBe(
      false,
    );
  });

  it('does not match when the suite is only a prefix of the first word', () => {
    expect(belongsToSuite('resilience-extra.x', 'resilience')).toBe(false);
  });
});

describe('selectCases', () => {
  it('returns every case when no suite is given', () => {
    expect(selectCases(cases, null)).toEqual(cases);
  });

  it('returns only the suite cases when a suite is given', () => {
    expect(selectCases(cases, 'resilience').map((c) => c.id)).toEqual([
      'resilience.breaker.execute',
      'resilience.retry.success',
    ]);
  });

  it('throws naming the known suites when no case belongs to the suite', () => {
    expect(() => selectCases(cases, 'cache')).toThrow(/suites: core, resilience/);
  });
});
