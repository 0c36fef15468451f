/**
 * Waits for a time, or until a signal aborts. Injected into the transport and the event
 * subscription so tests drive back-off and time-outs with a fake clock.
 */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/**
 * Waits `ms` milliseconds with a timer; rejects with the signal's reason as soon as it aborts
 * and clears the timer then.
 *
 * @param ms - how long to wait.
 * @param signal - cancels the wait.
 * @returns a promise that resolves after the wait.
 * @example
 * ```ts
 * const controller = new AbortController();
 * const waiting = timerSleep(1000, controller.signal);
 * controller.abort(); // waiting rejects with an AbortError
 * ```
 */
export const timerSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
