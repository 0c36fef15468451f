import type { BreakerState } from './breaker-state.js';

/**
 * A breaker state change broadcast to the other instances of a service.
 *
 * @example
 * ```ts
 * const change: BreakerStateChange = {
 *   breaker: 'twilio',
 *   state: 'open',
 *   source: 'api-1',
 *   openUntil: 1_767_225_630_000,
 * };
 * ```
 */
export interface BreakerStateChange {
  /** The breaker name, which identifies the shared dependency. */
  readonly breaker: string;
  readonly state: BreakerState;
  /** The instance that published the change; an instance ignores its own messages. */
  readonly source: string;
  /** For `open`: clock time at which the publisher will probe again. */
  readonly openUntil?: number;
}

/**
 * The pub/sub port through which breakers for a shared dependency tell each other when they
 * open and close. Messages are advisory: each instance still decides from its own calls.
 *
 * @example
 * ```ts
 * const bus: BreakerStateBus = memoryBreakerStateBus();
 * const unsubscribe = bus.subscribe((change) => console.info(change.breaker, change.state));
 * await bus.publish({ breaker: 'twilio', state: 'open', source: 'api-1' });
 * unsubscribe();
 * ```
 */
export interface BreakerStateBus {
  /** Sends a change to every subscriber, including those of other instances. */
  publish(change: BreakerStateChange): Promise<void>;
  /** Receives every published change; returns a function that unsubscribes. */
  subscribe(listener: (change: BreakerStateChange) => void): () => void;
}

/**
 * An in-process {@link BreakerStateBus}, for tests and for several breakers in one process.
 * Delivery is asynchronous (a microtask later), like a real broker.
 *
 * @example
 * ```ts
 * const bus = memoryBreakerStateBus();
 * const a = createCircuitBreaker({ name: 'twilio', stateBus: bus, instanceId: 'a' });
 * const b = createCircuitBreaker({ name: 'twilio', stateBus: bus, instanceId: 'b' });
 * ```
 */
export function memoryBreakerStateBus(): BreakerStateBus {
  const listeners = new Set<(change: BreakerStateChange) => void>();
  return {
    async publish(change) {
      await Promise.resolve();
      for (const listener of [...listeners]) listener(change);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}
