import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from './retry-after.js';

const NOW = Date.parse('2026-12-07T12:00:00Z');

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates, with a past date as no wait', () => {
    expect(parseRetryAfter('0', NOW)).toBe(0);
    expect(parseRetryAfter(' 12 ', NOW)).toBe(12_000);
    expect(parseRetryAfter('Mon, 07 Dec 2026 12:01:30 GMT', NOW)).toBe(90_000);
    expect(parseRetryAfter('Mon, 07 Dec 2026 11:00:00 GMT', NOW)).toBe(0);
  });

  it('returns undefined for an absent or unreadable header', () => {
    expect(parseRetryAfter(null, NOW)).toBeUndefined();
    expect(parseRetryAfter('-3', NOW)).toBeUndefined();
    expect(parseRetryAfter('1.5', NOW)).toBeUndefined();
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
    expect(parseRetryAfter(5 as unknown as string, NOW)).toBeUndefined();
    expect(parseRetryAfter('Mon, 07 Dec 2026 12:01:30 GMT', Number.NaN)).toBeUndefined();
  });
});
