import { createFakeClock, TimeoutError } from '@carequeue/core';
import { describe, expect, it } from 'vitest';
import { createTimeoutPolicy } from './timeout.js';
import { ResilienceConfigError } from './errors.js';

const hanging = (): Promise<never> => new Promise<never>(() => undefined);

describe('timeout', () => {
  it('rejects with a TimeoutError and aborts the signal when the time runs out', async () => {
    const clock = createFakeClock();
    let seen: AbortSignal | undefined;
    const call = createTimeoutPolicy(500, { clock, name: 'ml.estimate' })
      .execute(({ signal }) => {
        seen = signal;
        return hanging();
      })
      .catch((error: unknown) => error);
    await clock.advance(500);
    const error = await call;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ operation: 'ml.estimate', timeoutMs: 500 });
    expect(seen?.reason).toBe(error);
  });

  it('keeps the process alive while the operation runs and clears its timer when it settles', async () => {
    const clock = createFakeClock();
    let answer: (value: string) => void = () => undefined;
    const call = createTimeoutPolicy(60_000, { clock }).execute(
      () => new Promise<string>((resolve) => (answer = resolve)),
    );
    await clock.advance(0);
    expect(clock.pendingTimers({ background: false })).toBe(1);
    answer('estimated');
    await expect(call).resolves.toBe('estimated');
    expect(clock.pendingTimers()).toBe(0);
  });

  it('passes the tighter remaining deadline to nested calls when the caller has one', async () => {
    const clock = createFakeClock();
    const outer = createTimeoutPolicy(1_000, { clock });
    const inner = createTimeoutPolicy(5_000, { clock });
    let innerDeadline: number | undefined;
    const start = clock.now();
    const call = outer.execute((context) =>
      inner.execute(
        (nested) => {
          innerDeadline = nested.deadline;
          return Promise.resolve('done');
        },
        { signal: context.signal, deadline: context.deadline },
      ),
    );
    await expect(call).resolves.toBe('done');
    expect(innerDeadline).toBe(start + 1_000);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('rejects at once when the deadline has already passed', async () => {
    const clock = createFakeClock();
    const call = createTimeoutPolicy(1_000, { clock }).execute(() => Promise.resolve(1), {
      deadline: clock.now(),
    });
    await expect(call).rejects.toMatchObject({ code: 'TIMEOUT', timeoutMs: 0 });
  });

  it('rejects with the caller reason and aborts the operation when the caller aborts', async () => {
    const clock = createFakeClock();
    const controller = new AbortController();
    let seen: AbortSignal | undefined;
    const call = createTimeoutPolicy(1_000, { clock }).execute(
      ({ signal }) => {
        seen = signal;
        return hanging();
      },
      { signal: controller.signal },
    );
    await clock.advance(10);
    const reason = new Error('client went away');
    controller.abort(reason);
    await expect(call).rejects.toBe(reason);
    expect(seen?.aborted).toBe(true);
    expect(clock.pendingTimers()).toBe(0);
    const already = createTimeoutPolicy(1_000, { clock }).execute(() => Promise.resolve(1), {
      signal: controller.signal,
    });
    await expect(already).rejects.toBe(reason);
  });

  it('passes the operation failure through when it fails in time', async () => {
    const failure = new Error('refused');
    const call = createTimeoutPolicy(1_000, { clock: createFakeClock() }).execute(() =>
      Promise.reject(failure),
    );
    await expect(call).rejects.toBe(failure);
  });

  it('rejects a non-positive time when created', () => {
    expect(() => createTimeoutPolicy(0)).toThrow(ResilienceConfigError);
  });

  it('refuses createTimeoutPolicy(Infinity) and any ms above 2^31-1 when created, instead of firing after 1 ms', () => {
    for (const ms of [Number.POSITIVE_INFINITY, 2_147_483_648, Number.NaN, -1, 0]) {
      expect(() => createTimeoutPolicy(ms)).toThrow(
        /timeout ms must be a number of milliseconds greater than 0 and at most 2147483647/,
      );
    }
    expect(() => createTimeoutPolicy(2_147_483_647)).not.toThrow();
  });

  it('refuses options that are not an object when created', () => {
    for (const options of [null, 'ml.estimate', 42]) {
      expect(() => createTimeoutPolicy(500, options as never)).toThrow(
        /timeout options must be an object/,
      );
    }
  });
});
