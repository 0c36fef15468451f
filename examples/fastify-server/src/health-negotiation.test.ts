import { describe, expect, it } from 'vitest';
import { prefersHealthJson } from './health-negotiation.js';

describe('prefersHealthJson', () => {
  it.each([
    ['application/health+json'],
    ['application/health+json; charset=utf-8'],
    ['application/json, application/health+json'],
    ['Application/Health+JSON'],
    ['application/health+json;q=0.9, */*;q=0.1'],
  ])('returns true when Accept is %s', (accept) => {
    expect(prefersHealthJson(accept)).toBe(true);
  });

  it.each([
    [undefined],
    ['*/*'],
    ['application/json'],
    ['application/json, application/health+json;q=0.5'],
    ['application/health+json;q=0'],
    ['application/health+json;q=abc'],
  ])('returns false when Accept is %s', (accept) => {
    expect(prefersHealthJson(accept)).toBe(false);
  });
});
