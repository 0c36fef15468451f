/**
 * The `Clock` port: every CareQueue component reads time and schedules timers through it, so
 * tests drive time with {@link createFakeClock} instead of sleeping.
 *
 * @packageDocumentation
 */
import {
  functionIssues,
  instantIssues,
  integerIssues,
  isRecord,
  numberIssues,
  optionalBooleanIssues,
  optionalRecordIssues,
  throwIfIssues,
} from './argument-checks.js';
import type { ErrorIssue } from './errors.js';

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

/** The latest time a fake clock can reach: the last instant a `Date` can hold. */
const LATEST_FAKE_TIME = 8.64e15;

/** The most timers one {@link FakeClock.runAll} may run before it reports a runaway timer. */
const MAX_RUN_ALL_TIMERS = 10_000_000;

function timeOf(time: number | Date): number {
  return typeof time === 'number' ? time : time.getTime();
}

function timerOptionsIssues(options: unknown): ErrorIssue[] {
  const issues = optionalRecordIssues(options, 'options');
  if (issues.length > 0 || options === undefined) return issues;
  return optionalBooleanIssues((options as TimerOptions).background, 'options.background');
}

/** A timer delay: a finite number (a negative one runs at once, as the host's timers do). */
function delayIssues(ms: unknown, latestDelay: number): ErrorIssue[] {
  return typeof ms === 'number' && ms <= latestDelay && ms >= -Number.MAX_VALUE
    ? []
    : [{ path: 'ms', message: `must be a finite number of at most ${latestDelay}` }];
}

/** Lets queued promise callbacks run, including those chained a few levels deep. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i += 1) await Promise.resolve();
}

/**
 * Creates a {@link FakeClock} starting at `start` (default 2026-01-01T00:00:00Z).
 *
 * Every method checks its arguments: a time or duration that is not a finite number (or a valid
 * `Date`), a callback that is not a function, or a time beyond what a `Date` can hold is refused
 * with a `ValidationError` naming the argument, before the clock changes.
 *
 * @throws `ValidationError` when `start` is neither a finite number nor a valid `Date`.
 * @example
 * ```ts
 * const clock = createFakeClock(new Date('2026-03-29T00:30:00Z'));
 * const done = sleep(clock, 1000);
 * await clock.advance(1000);
 * await done;
 * ```
 */
export function createFakeClock(start: number | Date = Date.UTC(2026, 0, 1)): FakeClock {
  throwIfIssues('createFakeClock', instantIssues(start, 'start'));
  let current = timeOf(start);
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
      throwIfIssues('setTimeout', [
        ...functionIssues(callback, 'callback'),
        ...delayIssues(ms, LATEST_FAKE_TIME - current),
        ...timerOptionsIssues(options),
      ]);
      const id = nextId++;
      const background = options?.background === true;
      timers.set(id, { id, dueAt: current + Math.max(0, ms), callback, background });
      return { __timer: id };
    },
    clearTimeout(handle) {
      throwIfIssues(
        'clearTimeout',
        isRecord(handle) ? [] : [{ path: 'handle', message: 'must be a handle from setTimeout' }],
      );
      timers.delete(handle.__timer as number);
    },
    async advance(ms) {
      throwIfIssues('advance', numberIssues(ms, 'ms', 0, LATEST_FAKE_TIME - current));
      const target = current + ms;
      await settle();
      for (let timer = nextDue(target); timer; timer = nextDue(target)) {
        await runTimer(timer);
      }
      current = target;
      await settle();
    },
    set(time) {
      throwIfIssues('set', instantIssues(time, 'time'));
      current = timeOf(time);
    },
    pendingTimers(filter = {}) {
      throwIfIssues(
        'pendingTimers',
        isRecord(filter)
          ? optionalBooleanIssues(filter.background, 'filter.background')
          : [{ path: 'filter', message: 'must be an object or be left out' }],
      );
      if (filter.background === undefined) return timers.size;
      let count = 0;
      for (const timer of timers.values()) if (timer.background === filter.background) count += 1;
      return count;
    },
    async runAll(maxTimers = 10_000) {
      throwIfIssues('runAll', integerIssues(maxTimers, 'maxTimers', 1, MAX_RUN_ALL_TIMERS));
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
