import { createFakeClock, type FakeClock, type TimerHandle } from '@carequeue/core';

/** A timer the code under test scheduled; `fire()` moves the fake time to it. */
export interface ScheduledTimer {
  readonly ms: number;
  /** Advances the clock by `ms`, running the timer (and any other that falls due). */
  fire(): Promise<void>;
}

/** Core's fake clock, which also lets a test wait for the code to schedule a timer. */
export interface ObservedClock extends FakeClock {
  /** The first live timer whose delay matches, now or once the code schedules one. */
  nextTimer(match?: (ms: number) => boolean): Promise<ScheduledTimer>;
}

/**
 * Core's fake clock (time moves only when a test advances it; no real time passes), with a way
 * to wait until the code under test has scheduled a timer and read its delay.
 */
export function observedClock(): ObservedClock {
  const clock = createFakeClock(Date.parse('2026-12-07T12:00:00Z'));
  const live = new Map<TimerHandle, ScheduledTimer>();
  const waiters: { match: (ms: number) => boolean; resolve: (t: ScheduledTimer) => void }[] = [];
  const find = (match: (ms: number) => boolean) => [...live.values()].find((t) => match(t.ms));
  return {
    ...clock,
    setTimeout(callback, ms, options) {
      const handle: TimerHandle = clock.setTimeout(
        () => {
          live.delete(handle);
          callback();
        },
        ms,
        options,
      );
      const timer: ScheduledTimer = { ms, fire: () => clock.advance(ms) };
      live.set(handle, timer);
      const waiter = waiters.find((w) => w.match(ms));
      if (waiter !== undefined) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(timer);
      }
      return handle;
    },
    clearTimeout(handle) {
      live.delete(handle);
      clock.clearTimeout(handle);
    },
    nextTimer(match = () => true) {
      const found = find(match);
      if (found !== undefined) return Promise.resolve(found);
      return new Promise((resolve) => waiters.push({ match, resolve }));
    },
  };
}
