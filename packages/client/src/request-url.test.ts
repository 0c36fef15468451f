import { ValidationError } from '@carequeue/core';
import { describe, expect, it } from 'vitest';
import { requestUrl } from './request-url.js';

describe('requestUrl', () => {
  it('appends the path to the base path and encodes the query', () => {
    const url = requestUrl(new URL('https://x.test/cq/?stale=1#f'), '/api/v1/patients', {
      q: 'a&b',
      limit: 5,
      ids: ['p 1', 'p2'],
      none: undefined,
    });
    expect(url.href).toBe('https://x.test/cq/api/v1/patients?q=a%26b&limit=5&ids=p+1&ids=p2');
    expect(requestUrl(new URL('https://x.test'), '/health').href).toBe('https://x.test/health');
  });

  it('refuses a malformed path and a non-finite number, naming the argument without its value', () => {
    const base = new URL('https://x.test');
    for (const path of ['api', '/a?b=1', '/a#b']) {
      expect(() => requestUrl(base, path)).toThrow(ValidationError);
    }
    try {
      requestUrl(base, '/a', { limit: Number.NaN });
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({
        issues: [{ path: 'query.limit', message: 'must be a finite number' }],
      });
    }
  });
});
