import { createFakeClock } from '@carequeue/core';
import { describe, expect, it } from 'vitest';
import {
  IdempotencyClaimLostError,
  IdempotencyInProgressError,
  IdempotencyKeyReusedError,
  ResilienceConfigError,
} from '../errors.js';
import { runIdempotencyStoreContract } from '../testing/index.js';
import { createIdempotency, payloadFingerprint } from './idempotency.js';
import { memoryIdempotencyStore } from './memory-idempotency-store.js';

runIdempotencyStoreContract({
  name: 'memoryIdempotencyStore',
  create: () => memoryIdempotencyStore(),
  describe,
  it,
  expect,
});

describe('createIdempotency', () => {
  it('replays the stored response without running again when the same request repeats', async () => {
    const idempotency = createIdempotency({ store: memoryIdempotencyStore() });
    let runs = 0;
    const book = (): Promise<{ id: string }> => {
      runs += 1;
      return Promise.resolve({ id: `b-${runs}` });
    };
    const first = await idempotency.run('k1', { slot: 1, clinic: 'c' }, book);
    const replay = await idempotency.run('k1', { clinic: 'c', slot: 1 }, book);
    expect([first, replay, runs]).toEqual([{ id: 'b-1' }, { id: 'b-1' }, 1]);
  });

  it('throws IdempotencyKeyReusedError when a replay carries a different payload', async () => {
    const idempotency = createIdempotency({ store: memoryIdempotencyStore() });
    await idempotency.run('k1', { slot: 1 }, () => Promise.resolve('ok'));
    await expect(idempotency.run('k1', { slot: 2 }, () => Promise.resolve('ok'))).rejects.toThrow(
      IdempotencyKeyReusedError,
    );
  });

  it('throws IdempotencyInProgressError when the first request outlasts the wait', async () => {
    const clock = createFakeClock();
    const idempotency = createIdempotency({
      store: memoryIdempotencyStore({ clock }),
      clock,
      waitMs: 100,
      pollMs: 10,
    });
    void idempotency.run('k1', 'p', () => new Promise(() => undefined));
    const duplicate = idempotency.run('k1', 'p', () => Promise.resolve('second'));
    const outcome = expect(duplicate).rejects.toThrow(IdempotencyInProgressError);
    await clock.advance(200);
    await outcome;
  });

  it('waits for the first request on poll timers that keep the process alive', async () => {
    const clock = createFakeClock();
    const idempotency = createIdempotency({
      store: memoryIdempotencyStore({ clock }),
      clock,
      pollMs: 10,
    });
    let answer: (value: string) => void = () => undefined;
    const first = idempotency.run('k1', 'p', () => new Promise<string>((r) => (answer = r)));
    const duplicate = idempotency.run('k1', 'p', () => Promise.resolve('second'));
    await clock.advance(0);
    expect(clock.pendingTimers({ background: false })).toBe(1);
    answer('first');
    await clock.advance(10);
    await expect(Promise.all([first, duplicate])).resolves.toEqual(['first', 'first']);
  });

  it('releases the key so a retry runs when the operation fails', async () => {
    const idempotency = createIdempotency({ store: memoryIdempotencyStore() });
    await expect(
      idempotency.run('k1', 'p', () => Promise.reject(new Error('sms gateway down'))),
    ).rejects.toThrow('sms gateway down');
    expect(await idempotency.run('k1', 'p', () => Promise.resolve('sent'))).toBe('sent');
  });

  it('lets a key be claimed again when its stored response expired', async () => {
    const clock = createFakeClock();
    const idempotency = createIdempotency({
      store: memoryIdempotencyStore({ clock }),
      clock,
      ttlMs: 1000,
    });
    await idempotency.run('k1', 'p', () => Promise.resolve('first'));
    await clock.advance(1000);
    expect(await idempotency.run('k1', 'p', () => Promise.resolve('second'))).toBe('second');
  });

  it('throws IdempotencyClaimLostError and keeps the new holder response when the operation outlasts its claim', async () => {
    const clock = createFakeClock();
    const store = memoryIdempotencyStore({ clock });
    const idempotency = createIdempotency({ store, clock, lockTtlMs: 1000, waitMs: 60_000 });
    let finishSlow: (value: string) => void = () => undefined;
    const slow = idempotency.run(
      'k1',
      'p',
      () => new Promise<string>((resolve) => (finishSlow = resolve)),
    );
    const slowOutcome = expect(slow).rejects.toThrow(IdempotencyClaimLostError);
    await clock.advance(1000);
    let finishRetry: (value: string) => void = () => undefined;
    const retry = idempotency.run(
      'k1',
      'p',
      () => new Promise<string>((resolve) => (finishRetry = resolve)),
    );
    await clock.advance(0);
    finishSlow('from the expired claim');
    await slowOutcome;
    finishRetry('from the new holder');
    expect(await retry).toBe('from the new holder');
    expect(await idempotency.run('k1', 'p', () => Promise.resolve('third'))).toBe(
      'from the new holder',
    );
  });

  it('throws the operation failure and leaves the new holder claim when a failed operation outlasted its claim', async () => {
    const clock = createFakeClock();
    const store = memoryIdempotencyStore({ clock });
    const idempotency = createIdempotency({ store, clock, lockTtlMs: 1000, waitMs: 1 });
    let failSlow: (error: Error) => void = () => undefined;
    const slow = idempotency.run(
      'k1',
      'p',
      () => new Promise<string>((_resolve, reject) => (failSlow = reject)),
    );
    const slowOutcome = expect(slow).rejects.toThrow('sms gateway down');
    await clock.advance(1000);
    const holder = await store.claim('k1', 'f-new', 60_000);
    expect(holder.status).toBe('claimed');
    failSlow(new Error('sms gateway down'));
    await slowOutcome;
    expect(await store.claim('k1', 'f-other', 60_000)).toEqual({
      status: 'pending',
      fingerprint: 'f-new',
    });
  });

  it('passes on a store failure of the release when a failed operation cannot free its key', async () => {
    const store = memoryIdempotencyStore();
    const broken = {
      ...store,
      release: () => Promise.reject(new Error('store unreachable')),
    };
    const idempotency = createIdempotency({ store: broken });
    await expect(
      idempotency.run('k1', 'p', () => Promise.reject(new Error('sms gateway down'))),
    ).rejects.toThrow('store unreachable');
  });

  it('stores null when the operation returns nothing', async () => {
    const idempotency = createIdempotency({ store: memoryIdempotencyStore() });
    await idempotency.run('k1', undefined, () => Promise.resolve(undefined));
    expect(await idempotency.run('k1', undefined, () => Promise.resolve('again'))).toBeNull();
  });

  it('throws a configuration error when a duration is not positive', () => {
    expect(() => createIdempotency({ store: memoryIdempotencyStore(), waitMs: 0 })).toThrow(
      ResilienceConfigError,
    );
  });

  it('refuses a pollMs above 2^31-1 ms when created, instead of polling every 1 ms', () => {
    expect(() =>
      createIdempotency({ store: memoryIdempotencyStore(), pollMs: 2_147_483_648 }),
    ).toThrow('createIdempotency options.pollMs must be a number of milliseconds');
  });

  it('rejects a run with a key that is not a non-empty string before claiming it', async () => {
    const idempotency = createIdempotency({ store: memoryIdempotencyStore() });
    for (const key of [null, '', 7]) {
      await expect(
        idempotency.run(key as never, {}, () => Promise.resolve(1)),
      ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', issues: [{ path: 'key' }] });
    }
  });
});

describe('payloadFingerprint', () => {
  it('differs when a nested value differs and ignores key order', () => {
    expect(payloadFingerprint({ a: [1, { b: 2, c: 3 }] })).toBe(
      payloadFingerprint({ a: [1, { c: 3, b: 2 }] }),
    );
    expect(payloadFingerprint({ a: [1, { b: 2 }] })).not.toBe(
      payloadFingerprint({ a: [1, { b: 3 }] }),
    );
  });
});

describe('Idempotency.run arguments', () => {
  function spiedIdempotency() {
    const store = memoryIdempotencyStore();
    const calls: string[] = [];
    const spied = new Proxy(store, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]): unknown => {
          calls.push(String(property));
          return Reflect.apply(value, target, args) as unknown;
        };
      },
    });
    return { idempotency: createIdempotency({ store: spied }), calls };
  }

  it('createIdempotency().run refuses a circular or BigInt payload with a ValidationError before claiming the key (a raw RangeError from the fingerprint)', async () => {
    const { idempotency, calls } = spiedIdempotency();
    const circular: Record<string, unknown> = { slot: '09:00' };
    circular['self'] = [circular];
    for (const payload of [circular, { slot: 10n }]) {
      await expect(
        idempotency.run('booking:1', payload, () => Promise.resolve(1)),
      ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', issues: [{ path: 'payload' }] });
    }
    const shared = { at: '09:00' };
    await expect(
      idempotency.run('booking:2', { a: shared, b: shared }, () => Promise.resolve(2)),
    ).resolves.toBe(2);
    expect(calls.filter((call) => call !== 'complete')).toEqual(['claim']);
  });

  it('createIdempotency().run refuses a key with a NUL character, an unpaired surrogate or more than 512 characters before claiming it (a 503 from the Postgres store)', async () => {
    const { idempotency, calls } = spiedIdempotency();
    for (const key of ['\u0000Zq81LmXv03Pa', 'Zq81LmXv03Pa\ud800', 'k'.repeat(513)]) {
      await expect(idempotency.run(key, {}, () => Promise.resolve(1))).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        issues: [{ path: 'key' }],
      });
    }
    expect(calls).toEqual([]);
  });
});
