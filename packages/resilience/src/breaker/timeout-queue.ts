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

// A class, so that every entry shares one `cancel` on the prototype instead of carrying a
// function of its own.
class Entry implements QueuedTimeout {
  readonly dueAt: number;
  readonly onTimeout: () => void;
  readonly #onCancel: () => void;
  done = false;

  constructor(dueAt: number, onTimeout: () => void, onCancel: () => void) {
    this.dueAt = dueAt;
    this.onTimeout = onTimeout;
    this.#onCancel = onCancel;
  }

  cancel(): void {
    if (this.done) return;
    this.done = true;
    this.#onCancel();
  }
}

/**
 * Timeouts that fall due in the order they were added (one breaker's calls, or one rate
 * limiter's store calls, each with the same timeout) share one clock timer: adding and cancelling
 * cost a slot in a ring buffer and a flag instead of a timer each. A timeout due earlier than the
 * last one added returns `undefined`, and the caller schedules its own timer.
 *
 * Each timeout races work a caller awaits, so the timer keeps a Node process alive while a
 * timeout is pending. Once none is, a background check on the next turn of the event loop clears
 * it: settled work does not hold the process open until the last due time, and calls made one
 * after another in the same turn keep sharing the timer instead of clearing and arming one each.
 *
 * @example
 * ```ts
 * const queue = new TimeoutQueue(clock);
 * const entry = queue.add(clock.now() + 1000, () => controller.abort());
 * ```
 */
export class TimeoutQueue {
  readonly #clock: Clock;
  // A ring buffer (its length a power of two) of pending entries in the order added: reusing
  // slots spares the array reallocation that emptying and refilling a plain array costs.
  #slots: (Entry | undefined)[] = new Array<Entry | undefined>(16).fill(undefined);
  #head = 0;
  #size = 0;
  // Entries neither cancelled nor fired.
  #pending = 0;
  #timer: TimerHandle | undefined;
  #timerDueAt = 0;
  #idleCheckScheduled = false;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Runs `onTimeout` at `dueAt` unless cancelled; `undefined` when `dueAt` is out of order. */
  add(dueAt: number, onTimeout: () => void): QueuedTimeout | undefined {
    this.#dropSettledHead();
    const slots = this.#slots;
    if (this.#size > 0) {
      const last = slots[(this.#head + this.#size - 1) & (slots.length - 1)] as Entry;
      if (last.dueAt > dueAt) return undefined;
    }
    if (this.#size === slots.length) this.#grow();
    const entry = new Entry(dueAt, onTimeout, this.#onCancel);
    this.#slots[(this.#head + this.#size) & (this.#slots.length - 1)] = entry;
    this.#size += 1;
    this.#pending += 1;
    // The timer may still be armed for a later entry that has settled since.
    if (this.#timer === undefined || dueAt < this.#timerDueAt) this.#arm(dueAt);
    return entry;
  }

  #arm(dueAt: number): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timerDueAt = dueAt;
    this.#timer = this.#clock.setTimeout(this.#fire, dueAt - this.#clock.now());
  }

  #grow(): void {
    const old = this.#slots;
    const grown = new Array<Entry | undefined>(old.length * 2).fill(undefined);
    for (let i = 0; i < this.#size; i += 1) grown[i] = old[(this.#head + i) & (old.length - 1)];
    this.#slots = grown;
    this.#head = 0;
  }

  #dropSettledHead(): void {
    const slots = this.#slots;
    const mask = slots.length - 1;
    while (this.#size > 0 && (slots[this.#head] as Entry).done) {
      slots[this.#head] = undefined;
      this.#head = (this.#head + 1) & mask;
      this.#size -= 1;
    }
  }

  readonly #onCancel = (): void => {
    this.#pending -= 1;
    if (this.#pending > 0 || this.#timer === undefined || this.#idleCheckScheduled) return;
    this.#idleCheckScheduled = true;
    this.#clock.setTimeout(this.#clearTimerWhenIdle, 0, { background: true });
  };

  readonly #clearTimerWhenIdle = (): void => {
    this.#idleCheckScheduled = false;
    if (this.#pending > 0 || this.#timer === undefined) return;
    this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#dropSettledHead();
  };

  readonly #fire = (): void => {
    this.#timer = undefined;
    const now = this.#clock.now();
    for (;;) {
      this.#dropSettledHead();
      if (this.#size === 0) return;
      const next = this.#slots[this.#head] as Entry;
      if (next.dueAt > now) {
        this.#arm(next.dueAt);
        return;
      }
      next.done = true;
      this.#pending -= 1;
      next.onTimeout();
    }
  };
}
