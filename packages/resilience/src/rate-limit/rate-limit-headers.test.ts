import { describe, expect, it } from 'vitest';
import { rateLimitHeaders } from './rate-limit-headers.js';

describe('rateLimitHeaders', () => {
  it('gives limit, remaining, reset and policy when the request was allowed', () => {
    const headers = rateLimitHeaders(
      { allowed: true, remaining: 99, limit: 100, resetMs: 600, retryAfterMs: 0 },
      { windowMs: 60_000 },
    );
    expect(headers).toEqual({
      'RateLimit-Limit': '100',
      'RateLimit-Remaining': '99',
      'RateLimit-Reset': '1',
      'RateLimit-Policy': '100;w=60',
    });
  });

  it('adds Retry-After in whole seconds when the request was rejected', () => {
    const headers = rateLimitHeaders({
      allowed: false,
      remaining: 0,
      limit: 10,
      resetMs: 60_000,
      retryAfterMs: 1500,
    });
    expect(headers['Retry-After']).toBe('2');
    expect(headers).not.toHaveProperty('RateLimit-Policy');
  });
});
