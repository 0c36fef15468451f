/**
 * The events a {@link CircuitBreaker} emits, with their payloads.
 *
 * @example
 * ```ts
 * breaker.on('open', ({ breaker }) => pager.notify(`${breaker} circuit opened`));
 * ```
 */
export interface BreakerEvents {
  /** The breaker opened (locally or on a broadcast from another instance). */
  open: { readonly breaker: string; readonly remote: boolean };
  /** The breaker closed after a successful probe or a reset. */
  close: { readonly breaker: string; readonly remote: boolean };
  /** The open period elapsed; the next call probes the dependency. */
  'half-open': { readonly breaker: string; readonly remote: boolean };
  /** A call was rejected without running because the breaker is open. */
  reject: { readonly breaker: string };
  /** A call exceeded its attempt or probe timeout. */
  timeout: { readonly breaker: string; readonly error: unknown };
  /** A call failed and counted toward opening the breaker. */
  failure: { readonly breaker: string; readonly error: unknown };
  /** A call succeeded (or failed with an ignored error, which does not count). */
  success: { readonly breaker: string };
}

/**
 * The name of a {@link BreakerEvents} event.
 *
 * @example
 * ```ts
 * const watched: BreakerEventName[] = ['open', 'close'];
 * ```
 */
export type BreakerEventName = keyof BreakerEvents;

type Listener<E extends BreakerEventName> = (payload: BreakerEvents[E]) => void;

/**
 * Listeners per event, emitting only to events that have some, so an unobserved event costs
 * one length check on the hot path.
 *
 * @example
 * ```ts
 * const hub = new BreakerEventHub();
 * const off = hub.on('open', ({ breaker }) => console.warn(breaker));
 * hub.emit('open', { breaker: 'twilio', remote: false });
 * off();
 * ```
 */
export class BreakerEventHub {
  readonly #listeners: { [E in BreakerEventName]: Listener<E>[] } = {
    open: [],
    close: [],
    'half-open': [],
    reject: [],
    timeout: [],
    failure: [],
    success: [],
  };

  /** Adds a listener; returns a function that removes it. */
  on<E extends BreakerEventName>(event: E, listener: Listener<E>): () => void {
    const list = this.#listeners[event] as Listener<E>[];
    list.push(listener);
    return () => {
      const index = list.indexOf(listener);
      if (index >= 0) list.splice(index, 1);
    };
  }

  /** Whether anything listens to `event`. */
  has(event: BreakerEventName): boolean {
    return this.#listeners[event].length > 0;
  }

  /** Calls every listener of `event` with `payload`. */
  emit<E extends BreakerEventName>(event: E, payload: BreakerEvents[E]): void {
    for (const listener of [...(this.#listeners[event] as Listener<E>[])]) listener(payload);
  }
}
