/**
 * The `Clock` port: every CareQueue component reads time and schedules timers through it, so
 * tests drive time with {@link createFakeClock} instead of sleeping.
 *
 * @packageDocumentation
 */

/** An opaque handle returned by {@link Clock.setTimeout}. */
export interface TimerHandle {
  readonly __timer: unknown;
}

/**
 * Where time comes from.
 *
 * @example
 * ```ts
 * function isExpired(clock: Clock, expiresAt: number): boolean {
 *   return clock.now() >= expiresAt;
 * }
 * ```
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /**
   * Runs `callback` after `ms` milliseconds. Timers never keep a Node process alive.
   */
  setTimeout(callback: () => void, ms: number): TimerHandle;
  /** Cancels a timer; cancelling one that already ran is a no-op. */
  clearTimeout(handle: TimerHandle): void;
}

/**
 * The real clock: `Date.now()` and the host's timers (unref'd on Node).
 *
 * @example
 * ```ts
 * const service = createBookingService({ clock: systemClock });
 * ```
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(callback, ms) {
    const timer: unknown = globalThis.setTimeout(callback, ms);
    if (typeof timer === 'object' && timer !== null && 'unref' in timer) {
      (timer as { unref(): void }).unref();
    }
    return { __timer: timer };
  },
  clearTimeout(handle) {
    globalThis.clearTimeout(handle.__timer as Parameters<typeof globalThis.clearTimeout>[0]);
  },
};

/** A {@link Clock} whose time moves only when a test says so. */
export interface FakeClock extends Clock {
  /**
   * Moves time forward by `ms`, running every timer that falls due in order, and letting the
   * promise callbacks each timer triggers settle before the next one runs.
   */
  advance(ms: number): Promise<void>;
  /** Sets the current time without running timers (for setting up a scenario). */
  set(time: number | Date): void;
  /** How many timers are scheduled and not yet run. */
  pendingTimers(): number;
  /** Runs timers until none is left, moving time to each one's due time. */
  runAll(maxTimers?: number): Promise<void>;
}

interface ScheduledTimer {
  readonly id: number;
  readonly dueAt: number;
  readonly callback: () => void;
}

/** Lets queued promise callbacks run, including those chained a few levels deep. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i += 1) await Promise.resolve();
}

/**
 * Creates a {@link FakeClock} starting at `start` (default 2026-01-01T00:00:00Z).
 *
 * @example
 * ```ts
 * const clock = createFakeClock(new Date('2026-03-29T00:30:00Z'));
 * const done = sleep(clock, 1000);
 * await clock.advance(1000);
 * await done;
 * ```
 */
export function createFakeClock(start: number | Date = Date.UTC(2026, 0, 1)): FakeClock {
  let current = typeof start === 'number' ? start : start.getTime();
  let nextId = 1;
  const timers = new Map<number, ScheduledTimer>();

  function nextDue(limit: number): ScheduledTimer | undefined {
    let found: ScheduledTimer | undefined;
    for (const timer of timers.values()) {
      if (timer.dueAt > limit) continue;
      if (found === undefined || timer.dueAt < found.dueAt) found = timer;
    }
    return found;
  }

  async function runTimer(timer: ScheduledTimer): Promise<void> {
    timers.delete(timer.id);
    current = Math.max(current, timer.dueAt);
    timer.callback();
    await settle();
  }

  return {
    now: () => current,
    setTimeout(callback, ms) {
      const id = nextId++;
      timers.set(id, { id, dueAt: current + Math.max(0, ms), callback });
      return { __timer: id };
    },
    clearTimeout(handle) {
      timers.delete(handle.__timer as number);
    },
    async advance(ms) {
      const target = current + ms;
      await settle();
      for (let timer = nextDue(target); timer; timer = nextDue(target)) {
        await runTimer(timer);
      }
      current = target;
      await settle();
    },
    set(time) {
      current = typeof time === 'number' ? time : time.getTime();
    },
    pendingTimers: () => timers.size,
    async runAll(maxTimers = 10_000) {
      for (let run = 0; run < maxTimers; run += 1) {
        const timer = nextDue(Number.POSITIVE_INFINITY);
        if (!timer) return;
        await runTimer(timer);
      }
      throw new Error(
        `runAll stopped after ${maxTimers} timers; a timer keeps rescheduling itself.`,
      );
    },
  };
}

/**
 * Resolves after `ms` milliseconds of `clock` time; rejects with the signal's reason when the
 * signal aborts first.
 *
 * @example
 * ```ts
 * await sleep(clock, backoffMs, signal);
 * ```
 */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortReason(signal));
      return;
    }
    const onAbort = (): void => {
      clock.clearTimeout(handle);
      reject(abortReason(signal));
    };
    const handle = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * The reason a signal was aborted with, as an `Error` (an `AbortError` when the reason is not one).
 *
 * @example
 * ```ts
 * signal.addEventListener('abort', () => reject(abortReason(signal)));
 * ```
 */
export function abortReason(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error
    ? reason
    : new DOMException('The operation was aborted.', 'AbortError');
}
