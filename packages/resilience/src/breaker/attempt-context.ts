import type { ExecutionContext } from '../execution-context.js';

/**
 * The context of one breaker attempt. Its signal is created on first read: an AbortSignal costs
 * microseconds on Node 20, so only operations that use one pay for it, and each call gets its
 * own, so one call's timeout never aborts another.
 *
 * @example
 * ```ts
 * const context = new AttemptContext(callerSignal, deadline);
 * const pending = operation(context);
 * context.abort(new TimeoutError('twilio call', 3000));
 * ```
 */
export class AttemptContext implements ExecutionContext {
  readonly deadline: number | undefined;
  readonly #parent: AbortSignal | undefined;
  #controller: AbortController | undefined;
  #reason: unknown;
  #aborted = false;
  #released = false;
  #onParentAbort: (() => void) | undefined;

  constructor(parent: AbortSignal | undefined, deadline: number | undefined) {
    this.#parent = parent;
    this.deadline = deadline;
  }

  /** This call's signal, aborted by its timeout or by the caller's signal. */
  get signal(): AbortSignal {
    if (this.#controller !== undefined) return this.#controller.signal;
    const controller = new AbortController();
    this.#controller = controller;
    const parent = this.#parent;
    if (this.#aborted) controller.abort(this.#reason);
    else if (parent !== undefined) {
      if (parent.aborted) controller.abort(parent.reason);
      else if (!this.#released) {
        // Created here rather than per context: most contexts never read their signal. A call
        // that already settled no longer follows the caller's signal.
        this.#onParentAbort = () => this.abort(parent.reason);
        parent.addEventListener('abort', this.#onParentAbort, { once: true });
      }
    }
    return controller.signal;
  }

  /** Aborts this call's signal (now, or when it is first read). */
  abort(reason: unknown): void {
    this.#aborted = true;
    this.#reason = reason;
    this.#controller?.abort(reason);
  }

  /** Stops following the caller's signal once the call has settled. */
  release(): void {
    this.#released = true;
    if (this.#onParentAbort !== undefined) {
      this.#parent?.removeEventListener('abort', this.#onParentAbort);
      this.#onParentAbort = undefined;
    }
  }
}
