import { createFakeClock, RateLimitedError } from '@carequeue/core';
import { describe, expect, it } from 'vitest';
import { ResilienceConfigError } from '../errors.js';
import { createPipelinePolicy } from '../pipeline.js';
import { memoryRateLimitStore } from './memory-rate-limit-store.js';
import type { RateLimitStore } from './rate-limit-store.js';
import { createRateLimiter } from './rate-limiter.js';

function failingStore(): RateLimitStore & { calls: number; failing: boolean } {
  const healthy = memoryRateLimitStore();
  const store = {
    calls: 0,
    failing: true,
    consume: (request: Parameters<RateLimitStore['consume']>[0]) => {
      store.calls += 1;
      return store.failing
        ? Promise.reject(new Error('connection refused'))
        : healthy.consume(request);
    },
  };
  return store;
}

describe('RateLimiter', () => {
  it('limits by user id, else by ip, when used as the roadmap shows', async () => {
    const rateLimiter = createRateLimiter({
      windowMs: 15 * 60 * 1000,
      max: 2,
      keyGenerator: (req) => req.user?.id || req.ip,
    });
    const alice = { user: { id: 'alice' }, ip: '10.0.0.1' };
    const anonymous = { ip: '10.0.0.1' };
    const outcomes = [];
    for (const req of [alice, alice, alice, anonymous]) {
      outcomes.push((await rateLimiter.limit(req)).allowed);
    }
    expect(outcomes).toEqual([true, true, false, true]);
  });

  it('puts callers without a key in one shared bucket when the key generator finds none', async () => {
    const limiter = createRateLimiter({ windowMs: 60_000, max: 1 });
    expect((await limiter.limit({})).allowed).toBe(true);
    expect((await limiter.limit({ user: {} })).allowed).toBe(false);
  });

  it('rejects when the endpoint bucket is empty even though the caller has tokens', async () => {
    const limiter = createRateLimiter({
      windowMs: 60_000,
      max: 10,
      endpointLimit: { windowMs: 60_000, max: 1 },
    });
    expect((await limiter.consume('a', { endpoint: 'POST /bookings' })).allowed).toBe(true);
    const second = await limiter.consume('b', { endpoint: 'POST /bookings' });
    expect([second.allowed, second.limit]).toEqual([false, 1]);
    expect((await limiter.consume('b')).remaining).toBe(9);
  });

  it('counts allowed and rejected decisions when asked for usage', async () => {
    const limiter = createRateLimiter({ windowMs: 60_000, max: 1 });
    await limiter.consume('a');
    await limiter.consume('a');
    expect(limiter.usage()).toEqual({
      allowed: 1,
      rejected: 1,
      insured: 0,
      storeFailures: 0,
      degraded: false,
    });
  });

  it('throws a configuration error when a limit is not positive, and a ValidationError when the cost is not', async () => {
    expect(() => createRateLimiter({ windowMs: 1000, max: 0 })).toThrow(ResilienceConfigError);
    expect(() => createRateLimiter({ windowMs: 0, max: 1 })).toThrow(ResilienceConfigError);
    expect(() =>
      createRateLimiter({ windowMs: 1000, max: 1, endpointLimit: { windowMs: 1, max: 1.5 } }),
    ).toThrow(ResilienceConfigError);
    const limiter = createRateLimiter({ windowMs: 1000, max: 5 });
    await expect(limiter.consume('a', { cost: 6 })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      issues: [{ path: 'options.cost' }],
    });
    await expect(limiter.consume('a', { cost: 0 })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      issues: [{ path: 'options.cost' }],
    });
  });

  it('decides through the insurance limiter and keeps limiting when the store fails', async () => {
    const clock = createFakeClock();
    const store = failingStore();
    const failures: unknown[] = [];
    const limiter = createRateLimiter({
      windowMs: 60_000,
      max: 2,
      store,
      clock,
      onStoreError: (error) => failures.push(error),
    });
    const outcomes = [];
    for (let i = 0; i < 3; i += 1) outcomes.push((await limiter.consume('a')).allowed);
    expect(outcomes).toEqual([true, true, false]);
    expect(store.calls).toBe(1);
    expect(failures).toHaveLength(1);
    expect(limiter.usage()).toMatchObject({ insured: 3, storeFailures: 1, degraded: true });
  });

  it('hands decisions back to the store when it answers again after the probe interval', async () => {
    const clock = createFakeClock();
    const store = failingStore();
    const limiter = createRateLimiter({
      windowMs: 60_000,
      max: 5,
      store,
      clock,
      probeIntervalMs: 500,
    });
    await limiter.consume('a');
    store.failing = false;
    await clock.advance(500);
    await limiter.consume('a');
    expect(store.calls).toBe(2);
    expect(limiter.usage()).toMatchObject({ insured: 1, degraded: false });
  });

  it('decides through the insurance limiter when the store is slower than the timeout', async () => {
    const clock = createFakeClock();
    const hanging: RateLimitStore = { consume: () => new Promise(() => undefined) };
    const limiter = createRateLimiter({
      windowMs: 60_000,
      max: 5,
      store: hanging,
      clock,
      storeTimeoutMs: 100,
    });
    const decision = limiter.consume('a');
    await clock.advance(100);
    expect((await decision).remaining).toBe(4);
    expect(limiter.usage().storeFailures).toBe(1);
  });

  it('shares one clock timer among concurrent store calls when they are pending together', async () => {
    const clock = createFakeClock();
    const hanging: RateLimitStore = { consume: () => new Promise(() => undefined) };
    const limiter = createRateLimiter({
      windowMs: 60_000,
      max: 5,
      store: hanging,
      clock,
      storeTimeoutMs: 100,
    });
    const decisions = [limiter.consume('a'), limiter.consume('b'), limiter.consume('c')];
    expect(clock.pendingTimers()).toBe(1);
    await clock.advance(100);
    const results = await Promise.all(decisions);
    expect(results.map((result) => result.allowed)).toEqual([true, true, true]);
    expect(limiter.usage()).toMatchObject({ insured: 3, storeFailures: 3 });
  });

  it('cancels the store timeout when the store answers in time', async () => {
    const clock = createFakeClock();
    const store = memoryRateLimitStore({ clock });
    const failures: unknown[] = [];
    const limiter = createRateLimiter({
      windowMs: 60_000,
      max: 5,
      store,
      clock,
      storeTimeoutMs: 100,
      onStoreError: (error) => failures.push(error),
    });
    await limiter.consume('a');
    await clock.advance(0);
    expect(clock.pendingTimers()).toBe(0);
    await clock.advance(100);
    expect(failures).toEqual([]);
    expect(limiter.usage()).toMatchObject({ insured: 0, storeFailures: 0, degraded: false });
  });

  it('decides through the insurance limiter when the store throws synchronously', async () => {
    const throwing: RateLimitStore = {
      consume: () => {
        throw new Error('client not ready');
      },
    };
    const limiter = createRateLimiter({ windowMs: 60_000, max: 5, store: throwing });
    expect((await limiter.consume('a')).remaining).toBe(4);
    expect(limiter.usage()).toMatchObject({ insured: 1, storeFailures: 1 });
  });

  it('times out a store call on its own timer when the clock has stepped back', async () => {
    const fake = createFakeClock();
    let offset = 0;
    const clock = { ...fake, now: () => fake.now() + offset };
    const hanging: RateLimitStore = { consume: () => new Promise(() => undefined) };
    const limiter = createRateLimiter({
      windowMs: 60_000,
      max: 5,
      store: hanging,
      clock,
      storeTimeoutMs: 100,
      probeIntervalMs: 0,
    });
    const first = limiter.consume('a');
    offset = -5_000;
    const second = limiter.consume('b');
    offset = 0;
    expect(fake.pendingTimers()).toBe(2);
    await fake.advance(100);
    await Promise.all([first, second]);
    expect(limiter.usage()).toMatchObject({ insured: 2, storeFailures: 2 });
  });

  it('throws RateLimitedError with retryAfterMs when a pipeline call is over the limit', async () => {
    const clock = createFakeClock();
    const limiter = createRateLimiter({ windowMs: 1000, max: 1, clock });
    const guarded = createPipelinePolicy({ rateLimit: limiter });
    expect(await guarded.execute(() => Promise.resolve('sent'), { key: 'clinic-1' })).toBe('sent');
    const rejected = guarded.execute(() => Promise.resolve('sent'), { key: 'clinic-1' });
    await expect(rejected).rejects.toBeInstanceOf(RateLimitedError);
    await expect(rejected).rejects.toMatchObject({ retryAfterMs: 1000 });
  });

  it('throws the abort reason without spending a token when the signal is already aborted', async () => {
    const limiter = createRateLimiter({ windowMs: 1000, max: 1 });
    const controller = new AbortController();
    controller.abort(new Error('client went away'));
    await expect(limiter.acquire({ key: 'k', signal: controller.signal })).rejects.toThrow(
      'client went away',
    );
    await expect(limiter.acquire({})).resolves.toBeUndefined();
  });

  it('refuses a storeTimeoutMs above 2^31-1 ms when created, instead of timing out the store after 1 ms', () => {
    expect(() =>
      createRateLimiter({ windowMs: 1000, max: 1, storeTimeoutMs: Number.POSITIVE_INFINITY }),
    ).toThrow('RateLimiter options.storeTimeoutMs must be a number of milliseconds');
  });
});

describe('RateLimiter arguments', () => {
  it('RateLimiter.consume refuses a key that is not a string, or options that are not an object, with a ValidationError before calling the store (raw TypeError)', async () => {
    const store = failingStore();
    store.failing = false;
    const limiter = createRateLimiter({ windowMs: 1000, max: 5, store });
    for (const [key, options, path] of [
      [Symbol('Zq81LmXv03Pa'), undefined, 'key'],
      [{ givenName: 'Zq81LmXv03Pa' }, undefined, 'key'],
      ['k'.repeat(513), undefined, 'key'],
      ['user-1', null, 'options'],
      ['user-1', { endpoint: { path: '/' } }, 'options.endpoint'],
      ['user-1', { now: Number.NaN }, 'options.now'],
    ] as const) {
      await expect(limiter.consume(key as never, options as never)).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        issues: [{ path }],
      });
    }
    expect(store.calls).toBe(0);
  });

  it('RateLimiter.acquire and limit refuse null options or a request whose key is not a string with a ValidationError instead of a raw TypeError', async () => {
    const limiter = createRateLimiter({ windowMs: 1000, max: 5 });
    await expect(limiter.acquire(null as never)).rejects.toMatchObject({
      issues: [{ path: 'options' }],
    });
    await expect(limiter.acquire({ signal: 'stop' as never })).rejects.toMatchObject({
      issues: [{ path: 'options.signal' }],
    });
    await expect(
      limiter.limit({ user: { id: { toString: () => 'x' } } } as never),
    ).rejects.toMatchObject({ issues: [{ path: 'request' }] });
  });
});
