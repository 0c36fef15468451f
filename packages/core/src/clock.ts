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
 * Options of {@link Clock.setTimeout}.
 *
 * @example
 * ```ts
 * clock.setTimeout(rotateBuckets, 1000, { background: true });
 * ```
 */
export interface TimerOptions {
  /**
   * `true` for housekeeping that no caller awaits (a breaker's bucket rotation, a poll loop, a
   * reconnect attempt): the timer does not keep a Node process alive. Leave it unset for a wait
   * that a caller awaits (a retry back-off, a `sleep`, a timeout racing awaited work), so that a
   * process whose only pending work is that wait does not exit in the middle of it; clear such a
   * timer as soon as the work it races settles.
   * @default false
   */
  readonly background?: boolean;
}

/**
 * Where time comes from.
 *
 * An implementation written before {@link TimerOptions} existed (`setTimeout(callback, ms)`)
 * still satisfies this interface; it decides alone whether its timers keep the process alive.
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
   * Runs `callback` after `ms` milliseconds. The timer keeps a Node process alive until it runs
   * or is cleared, unless `options.background` is `true`.
   */
  setTimeout(callback: () => void, ms: number, options?: TimerOptions): TimerHandle;
  /** Cancels a timer; cancelling one that already ran is a no-op. */
  clearTimeout(handle: TimerHandle): void;
}

/**
 * The real clock: `Date.now()` and the host's timers. On Node a timer keeps the process alive
 * like a plain `setTimeout`, and a background timer ({@link TimerOptions.background}) is unref'd.
 *
 * @example
 * ```ts
 * const service = createBookingService({ clock: systemClock });
 * ```
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(callback, ms, options) {
    const timer: unknown = globalThis.setTimeout(callback, ms);
    // Browsers return a number and have no process to keep alive.
    if (options?.background === true && typeof timer === 'object' && timer !== null) {
      (timer as { unref?: () => void }).unref?.();
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
  /**
   * How many timers are scheduled and not yet run: all of them, or only those whose
   * {@link TimerOptions.background} matches `filter.background` (`{ background: false }` counts
   * the timers that would keep a Node process alive).
   */
  pendingTimers(filter?: PendingTimerFilter): number;
  /** Runs timers until none is left, moving time to each one's due time. */
  runAll(maxTimers?: number): Promise<void>;
}

/**
 * Which timers {@link FakeClock.pendingTimers} counts.
 *
 * @example
 * ```ts
 * expect(clock.pendingTimers({ background: false })).toBe(0);
 * ```
 */
export interface PendingTimerFilter {
  /** Count only background timers (`true`) or only the others (`false`); unset counts all. */
  readonly background?: boolean;
}

interface ScheduledTimer {
  readonly id: number;
  readonly dueAt: number;
  readonly callback: () => void;
  readonly background: boolean;
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
    setTimeout(callback, ms, options) {
      const id = nextId++;
      const background = options?.background === true;
      timers.set(id, { id, dueAt: current + Math.max(0, ms), callback, background });
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
    pendingTimers(filter = {}) {
      if (filter.background === undefined) return timers.size;
      let count = 0;
      for (const timer of timers.values()) if (timer.background === filter.background) count += 1;
      return count;
    },
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
 * signal aborts first. The wait is awaited, so on {@link systemClock} it keeps a Node process
 * alive until it ends.
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
