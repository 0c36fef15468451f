import type { Clock, TimerHandle } from '@carequeue/core';

/**
 * One pending timeout in a {@link TimeoutQueue}; `cancel()` is O(1).
 *
 * @example
 * ```ts
 * const entry = queue.add(clock.now() + 3000, onTimeout);
 * entry.cancel();
 * ```
 */
export interface QueuedTimeout {
  cancel(): void;
}

interface Entry extends QueuedTimeout {
  readonly dueAt: number;
  readonly onTimeout: () => void;
  done: boolean;
}

/**
 * Timeouts that fall due in the order they were added (one breaker's calls, or one rate
 * limiter's store calls, each with the same timeout) share one clock timer: adding and cancelling
 * cost an array push and a flag instead of a timer each. A timeout due earlier than the last one added returns `undefined`, and the
 * caller schedules its own timer.
 *
 * @example
 * ```ts
 * const queue = new TimeoutQueue(clock);
 * const entry = queue.add(clock.now() + 1000, () => controller.abort());
 * ```
 */
export class TimeoutQueue {
  readonly #clock: Clock;
  #entries: Entry[] = [];
  #head = 0;
  #timer: TimerHandle | undefined;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Runs `onTimeout` at `dueAt` unless cancelled; `undefined` when `dueAt` is out of order. */
  add(dueAt: number, onTimeout: () => void): QueuedTimeout | undefined {
    this.#dropSettledHead();
    const last = this.#entries[this.#entries.length - 1];
    if (last !== undefined && last.dueAt > dueAt) return undefined;
    const entry: Entry = {
      dueAt,
      onTimeout,
      done: false,
      cancel() {
        this.done = true;
      },
    };
    this.#entries.push(entry);
    if (this.#timer === undefined) {
      this.#timer = this.#clock.setTimeout(this.#fire, dueAt - this.#clock.now());
    }
    return entry;
  }

  #dropSettledHead(): void {
    const entries = this.#entries;
    while (this.#head < entries.length && (entries[this.#head] as Entry).done) this.#head += 1;
    if (this.#head === entries.length) {
      entries.length = 0;
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > entries.length) {
      this.#entries = entries.slice(this.#head);
      this.#head = 0;
    }
  }

  readonly #fire = (): void => {
    this.#timer = undefined;
    const now = this.#clock.now();
    for (;;) {
      this.#dropSettledHead();
      const next = this.#entries[this.#head];
      if (next === undefined) return;
      if (next.dueAt > now) {
        this.#timer = this.#clock.setTimeout(this.#fire, next.dueAt - now);
        return;
      }
      next.done = true;
      next.onTimeout();
    }
  };
}
