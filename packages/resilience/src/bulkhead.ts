import { abortReason } from '@carequeue/core';
import { checkExecuteArguments } from './call-arguments.js';
import { integerOption } from './config/number-option.js';
import { optionsObject } from './config/options-object.js';
import { BulkheadRejectedError } from './errors.js';
import {
  contextOf,
  type ExecuteOptions,
  type Operation,
  type Policy,
} from './execution-context.js';

/**
 * Options of a {@link Bulkhead}.
 *
 * @example
 * ```ts
 * const options: BulkheadOptions = { maxConcurrent: 10, maxQueued: 100 };
 * ```
 */
export interface BulkheadOptions {
  /** Calls that may run at the same time. */
  readonly maxConcurrent: number;
  /**
   * Calls that may wait for a slot; beyond that, calls are rejected at once.
   * @default 0
   */
  readonly maxQueued?: number;
}

interface Waiter {
  readonly start: () => void;
  readonly cancel: () => void;
}

/**
 * Limits how many calls to a dependency run at once, with a bounded queue. Calls that pass a
 * `key` (a tenant or clinic id) are queued fairly: waiting calls are started round-robin across
 * keys, so one busy clinic cannot starve the others. A queued call whose signal aborts leaves
 * the queue at once.
 *
 * Created by {@link createBulkhead}.
 */
class Bulkhead implements Policy {
  readonly #maxConcurrent: number;
  readonly #maxQueued: number;
  // Insertion order of the map is the round-robin order of keys.
  readonly #queues = new Map<string, Waiter[]>();
  #running = 0;
  #queued = 0;

  constructor(options: BulkheadOptions) {
    const { maxConcurrent, maxQueued = 0 } = optionsObject('Bulkhead options', options);
    this.#maxConcurrent = integerOption('Bulkhead options.maxConcurrent', maxConcurrent, 1);
    this.#maxQueued = integerOption('Bulkhead options.maxQueued', maxQueued, 0);
  }

  /**
   * Calls running now.
   *
   * @example
   * ```ts
   * metrics.gauge('bulkhead.running', bulkhead.running);
   * ```
   */
  get running(): number {
    return this.#running;
  }

  /**
   * Calls waiting for a slot.
   *
   * @example
   * ```ts
   * if (bulkhead.queued > 50) logger.warn('ml-service backlog');
   * ```
   */
  get queued(): number {
    return this.#queued;
  }

  /**
   * Runs `operation` when a slot is free.
   *
   * @throws BulkheadRejectedError when every slot is busy and the queue is full.
   * @throws the signal's reason when the caller aborts while the call waits.
   * @throws `ValidationError` naming the argument when `operation` is not a function or `options`
   * is not valid execute options (a non-`AbortSignal` signal, a non-finite deadline, a key that is
   * not a string of at most 512 characters), before taking a slot.
   * @example
   * ```ts
   * await bulkhead.execute(() => sendReminder(appointmentId), { key: clinicId, signal });
   * ```
   */
  async execute<T>(operation: Operation<T>, options?: ExecuteOptions): Promise<T> {
    checkExecuteArguments('Bulkhead.execute', operation, options);
    if (options?.signal?.aborted) throw abortReason(options.signal);
    if (this.#running >= this.#maxConcurrent) await this.#wait(options);
    this.#running += 1;
    try {
      return await operation(contextOf(options));
    } finally {
      this.#running -= 1;
      this.#startNext();
    }
  }

  #wait(options: ExecuteOptions | undefined): Promise<void> {
    if (this.#queued >= this.#maxQueued) return Promise.reject(new BulkheadRejectedError());
    const key = options?.key ?? '';
    const signal = options?.signal;
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        waiter.cancel();
        reject(abortReason(signal));
      };
      const waiter: Waiter = {
        start: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        cancel: () => this.#remove(key, waiter),
      };
      let queue = this.#queues.get(key);
      if (queue === undefined) {
        queue = [];
        this.#queues.set(key, queue);
      }
      queue.push(waiter);
      this.#queued += 1;
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  #remove(key: string, waiter: Waiter): void {
    const queue = this.#queues.get(key);
    const index = queue?.indexOf(waiter) ?? -1;
    if (queue === undefined || index < 0) return;
    queue.splice(index, 1);
    this.#queued -= 1;
    if (queue.length === 0) this.#queues.delete(key);
  }

  #startNext(): void {
    const next = this.#queues.entries().next();
    if (next.done === true) return;
    const [key, queue] = next.value;
    const waiter = queue.shift() as Waiter;
    this.#queued -= 1;
    // Moving the key to the end of the map gives the other keys their turn first.
    this.#queues.delete(key);
    if (queue.length > 0) this.#queues.set(key, queue);
    waiter.start();
  }
}

/**
 * Creates a {@link Bulkhead}.
 *
 * @throws ResilienceConfigError when `options` is not an object,
 * `maxConcurrent` is not an integer of 1 or more, or `maxQueued` not an integer of 0 or more.
 * @example
 * ```ts
 * import { createBulkhead } from '@carequeue/resilience';
 *
 * const bulkhead = createBulkhead({ maxConcurrent: 4, maxQueued: 20 });
 * await bulkhead.execute(({ signal }) => ml.estimate(queueId, { signal }), { key: clinicId });
 * ```
 */
export function createBulkhead(options: BulkheadOptions): Bulkhead {
  return new Bulkhead(options);
}

export type { Bulkhead };
