import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseInvalidationPattern, parseKey } from './cache-key.js';
import { CacheKeyError } from './errors.js';

describe('parseKey', () => {
  it('splits namespace, id and prefix when the id has several segments', () => {
    expect(parseKey('queue-summaries:clinic_1:2026-03-01')).toEqual({
      namespace: 'queue-summaries',
      id: 'clinic_1:2026-03-01',
      prefix: 'clinic_1',
    });
    expect(parseKey('clinic-settings:main').prefix).toBeUndefined();
  });

  it('throws a key error without echoing the key when the shape is wrong', () => {
    for (const bad of ['nonamespace', ':id', 'ns:', 'ns:a*', `ns:${'x'.repeat(1100)}`]) {
      expect(() => parseKey(bad)).toThrow(CacheKeyError);
    }
    try {
      parseKey('pat-ssn-123456789');
    } catch (error) {
      expect(String((error as Error).message)).not.toContain('123456789');
    }
  });
});

describe('parseInvalidationPattern', () => {
  it('reads each level when given tenant, namespace, prefix and key patterns', () => {
    expect(parseInvalidationPattern('*')).toEqual({ level: 'tenant' });
    expect(parseInvalidationPattern('ns:*')).toEqual({ level: 'namespace', namespace: 'ns' });
    expect(parseInvalidationPattern('ns:p:*')).toEqual({
      level: 'prefix',
      namespace: 'ns',
      prefix: 'p',
    });
    expect(parseInvalidationPattern('ns:id')).toMatchObject({ level: 'key' });
  });

  it('throws a key error when a wildcard is anywhere else', () => {
    for (const bad of [':*', 'ns:a*:*', 'ns:a:b:*', 'ns::*']) {
      expect(() => parseInvalidationPattern(bad)).toThrow(CacheKeyError);
    }
  });

  it('never reads a plain key as a wider pattern when keys are arbitrary', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z-]{1,10}$/), fc.string({ minLength: 1 }), (ns, id) => {
        fc.pre(!id.includes('*'));
        expect(parseInvalidationPattern(`${ns}:${id}`).level).toBe('key');
      }),
    );
  });
});
