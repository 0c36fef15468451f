import { describe, expect, it, vi } from 'vitest';
import { abortReason, createFakeClock, sleep, systemClock } from './clock.js';
import { ValidationError } from './errors.js';

function captured(run: () => unknown): unknown {
  try {
    run();
  } catch (error: unknown) {
    return error;
  }
  return undefined;
}

describe('createFakeClock', () => {
  it('starts at the given time and moves only when advanced', async () => {
    const clock = createFakeClock(new Date('2026-03-29T00:30:00Z'));
    expect(clock.now()).toBe(Date.parse('2026-03-29T00:30:00Z'));
    await clock.advance(1500);
    expect(clock.now()).toBe(Date.parse('2026-03-29T00:30:01.500Z'));
    clock.set(0);
    expect(clock.now()).toBe(0);
  });

  it('runs due timers in order of due time and leaves later ones pending', async () => {
    const clock = createFakeClock(0);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('b'), 20);
    clock.setTimeout(() => fired.push('a'), 10);
    clock.setTimeout(() => fired.push('c'), 30);
    await clock.advance(25);
    expect(fired).toEqual(['a', 'b']);
    expect(clock.pendingTimers()).toBe(1);
  });

  it('sets now to each timer due time while it runs', async () => {
    const clock = createFakeClock(0);
    const seen: number[] = [];
    clock.setTimeout(() => seen.push(clock.now()), 7);
    await clock.advance(100);
    expect(seen).toEqual([7]);
    expect(clock.now()).toBe(100);
  });

  it('runs timers scheduled by promise callbacks of earlier timers within the same advance', async () => {
    const clock = createFakeClock(0);
    const order: number[] = [];
    async function chain(): Promise<void> {
      await sleep(clock, 10);
      order.push(clock.now());
      await sleep(clock, 10);
      order.push(clock.now());
    }
    const done = chain();
    await clock.advance(20);
    await done;
    expect(order).toEqual([10, 20]);
  });

  it('does not run a cleared timer', async () => {
    const clock = createFakeClock(0);
    const fn = vi.fn();
    const handle = clock.setTimeout(fn, 5);
    clock.clearTimeout(handle);
    await clock.advance(10);
    expect(fn).not.toHaveBeenCalled();
  });

  it('counts pending timers by whether they are background ones', () => {
    const clock = createFakeClock(0);
    clock.setTimeout(() => undefined, 10);
    clock.setTimeout(() => undefined, 10, { background: false });
    const sweep = clock.setTimeout(() => undefined, 10, { background: true });
    expect(clock.pendingTimers()).toBe(3);
    expect(clock.pendingTimers({ background: false })).toBe(2);
    expect(clock.pendingTimers({ background: true })).toBe(1);
    clock.clearTimeout(sweep);
    expect(clock.pendingTimers({ background: true })).toBe(0);
  });

  it('runs every timer with runAll and refuses a timer that reschedules forever', async () => {
    const clock = createFakeClock(0);
    const fn = vi.fn();
    clock.setTimeout(fn, 1000);
    await clock.runAll();
    expect(fn).toHaveBeenCalledTimes(1);
    expect(clock.now()).toBe(1000);
    const forever = (): void => {
      clock.setTimeout(forever, 1);
    };
    forever();
    await expect(clock.runAll(50)).rejects.toThrow(/keeps rescheduling/);
  });

  it('createFakeClock and set refuse a non-finite or non-number time with a ValidationError instead of a raw TypeError or a clock at NaN', () => {
    for (const start of [
      Number.NaN,
      Number.POSITIVE_INFINITY,
      'Zq81LmXv03Pa',
      null,
      new Date(Number.NaN),
    ]) {
      expect(() => createFakeClock(start as never)).toThrow(ValidationError);
    }
    const clock = createFakeClock(0);
    for (const time of [Number.NaN, -Number.MAX_VALUE, 'Zq81LmXv03Pa', false, {}, new Date(9e15)]) {
      const error = captured(() => clock.set(time as never));
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues.map((issue) => issue.path)).toEqual(['time']);
      expect((error as ValidationError).message).not.toContain('Zq81LmXv03Pa');
    }
    expect(clock.now()).toBe(0);
  });

  it('advance, setTimeout, runAll, pendingTimers and clearTimeout refuse arguments of the wrong type with a ValidationError naming them instead of a raw TypeError', async () => {
    const clock = createFakeClock(0);
    await expect(clock.advance('10' as never)).rejects.toMatchObject({ issues: [{ path: 'ms' }] });
    await expect(clock.advance(-1)).rejects.toBeInstanceOf(ValidationError);
    await expect(clock.advance(Number.NaN)).rejects.toBeInstanceOf(ValidationError);
    await expect(clock.runAll('../../Zq81LmXv03Pa' as never)).rejects.toMatchObject({
      issues: [{ path: 'maxTimers' }],
    });
    expect(() => clock.setTimeout('noop' as never, 10)).toThrow(ValidationError);
    expect(() => clock.setTimeout(() => undefined, Number.NaN)).toThrow(ValidationError);
    expect(() => clock.setTimeout(() => undefined, 10, null as never)).toThrow(ValidationError);
    expect(() => clock.pendingTimers(null as never)).toThrow(ValidationError);
    expect(() => clock.clearTimeout(null as never)).toThrow(ValidationError);
    expect(clock.now()).toBe(0);
    expect(clock.pendingTimers()).toBe(0);
  });
});

describe('sleep', () => {
  it('rejects with the abort reason and cancels its timer when aborted mid-sleep', async () => {
    const clock = createFakeClock(0);
    const controller = new AbortController();
    const slept = sleep(clock, 1000, controller.signal);
    controller.abort(new Error('cancelled'));
    await expect(slept).rejects.toThrow('cancelled');
    expect(clock.pendingTimers()).toBe(0);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const clock = createFakeClock(0);
    await expect(sleep(clock, 10, AbortSignal.abort(new Error('gone')))).rejects.toThrow('gone');
  });
});

describe('systemClock', () => {
  it('reads the real time and runs and clears real timers', async () => {
    const before = Date.now();
    expect(systemClock.now()).toBeGreaterThanOrEqual(before);
    const cleared = vi.fn();
    systemClock.clearTimeout(systemClock.setTimeout(cleared, 0));
    await sleep(systemClock, 1);
    expect(cleared).not.toHaveBeenCalled();
  });
});

describe('systemClock timers', () => {
  it('keep the process alive unless they are background ones', () => {
    const awaited = systemClock.setTimeout(() => undefined, 60_000);
    const explicit = systemClock.setTimeout(() => undefined, 60_000, { background: false });
    const background = systemClock.setTimeout(() => undefined, 60_000, { background: true });
    try {
      expect((awaited.__timer as NodeJS.Timeout).hasRef()).toBe(true);
      expect((explicit.__timer as NodeJS.Timeout).hasRef()).toBe(true);
      expect((background.__timer as NodeJS.Timeout).hasRef()).toBe(false);
    } finally {
      for (const handle of [awaited, explicit, background]) systemClock.clearTimeout(handle);
    }
  });

  it('sleep waits on a timer that keeps the process alive', async () => {
    const clock = createFakeClock(0);
    const slept = sleep(clock, 1000);
    expect(clock.pendingTimers({ background: false })).toBe(1);
    await clock.advance(1000);
    await slept;
    expect(clock.pendingTimers()).toBe(0);
  });
});

describe('abortReason', () => {
  it('returns the abort reason when it is an error and an AbortError otherwise', () => {
    const reason = new Error('stop');
    expect(abortReason(AbortSignal.abort(reason))).toBe(reason);
    expect(abortReason(AbortSignal.abort('no')).name).toBe('AbortError');
    expect(abortReason(undefined).name).toBe('AbortError');
  });
});
