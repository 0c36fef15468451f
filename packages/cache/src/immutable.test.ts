import { isCarequeueError } from '@carequeue/core';
import { describe, expect, it } from 'vitest';
import { CacheArgumentError, CacheValueReadOnlyError } from './errors.js';
import { ImmutableDate, ImmutableMap, ImmutableSet } from './immutable.js';

const secret = 'patient-4711';

/** Calls `build` and returns what it threw. */
function thrownBy(build: () => unknown): unknown {
  try {
    build();
  } catch (error: unknown) {
    return error;
  }
  throw new Error('expected the call to throw');
}

describe('ImmutableDate, ImmutableMap and ImmutableSet', () => {
  it('refuse a change with a typed 409 CacheValueReadOnlyError, not a raw TypeError', () => {
    const at = new ImmutableDate(0);
    const byId = new ImmutableMap([['a', 1]]);
    const ids = new ImmutableSet(['a']);
    const changes: (() => unknown)[] = [
      () => at.setTime(5),
      () => at.setUTCFullYear(2030),
      () => byId.set('b', 2),
      () => byId.delete(),
      () => byId.clear(),
      () => ids.add('b'),
      () => ids.delete(),
      () => ids.clear(),
    ];
    for (const change of changes) {
      const error = thrownBy(change);
      expect(error).toBeInstanceOf(CacheValueReadOnlyError);
      expect(error).toMatchObject({ code: 'CACHE_VALUE_READ_ONLY', status: 409 });
    }
    expect(at.getTime()).toBe(0);
    expect([...byId]).toEqual([['a', 1]]);
    expect([...ids]).toEqual(['a']);
  });

  it('refuse a constructor argument of the wrong type with a CacheArgumentError naming it, never echoing it (raw TypeErrors before)', () => {
    const cases: [() => unknown, string][] = [
      [() => new ImmutableDate(Symbol(secret) as never), 'time'],
      [() => new ImmutableDate(10n as never), 'time'],
      [() => new ImmutableDate(secret as never), 'time'],
      [() => new ImmutableMap(null as never), 'entries'],
      [() => new ImmutableMap(5 as never), 'entries'],
      [() => new ImmutableMap(secret as never), 'entries'],
      [() => new ImmutableMap([[1, 2], secret] as never), 'entries'],
      [() => new ImmutableMap({ name: secret } as never), 'entries'],
      [() => new ImmutableSet(undefined as never), 'items'],
      [() => new ImmutableSet(Symbol(secret) as never), 'items'],
      [() => new ImmutableSet({ name: secret } as never), 'items'],
      [
        () =>
          new ImmutableSet({
            [Symbol.iterator]: () => {
              throw new TypeError(secret);
            },
          }),
        'items',
      ],
    ];
    for (const [build, argument] of cases) {
      const error = thrownBy(build);
      expect(error).toBeInstanceOf(CacheArgumentError);
      expect(isCarequeueError(error) && error.status).toBe(400);
      expect((error as CacheArgumentError).issues.map((issue) => issue.path)).toEqual([argument]);
      expect(JSON.stringify((error as CacheArgumentError).toJSON())).not.toContain(secret);
      expect((error as Error).message).not.toContain(secret);
    }
  });

  it('accept what their built-in classes accept when built from valid arguments', () => {
    expect(new ImmutableDate(Number.NaN).getTime()).toBeNaN();
    expect(new ImmutableMap(new Map([['a', 1]]).entries()).get('a')).toBe(1);
    expect([...new ImmutableSet('ab')]).toEqual(['a', 'b']);
    expect(new ImmutableSet(new Set([1, 2])).size).toBe(2);
  });
});
