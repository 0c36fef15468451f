import type { CacheBus, CacheBusListener } from '../cache-bus.js';
import { checkBusMessage, checkListener, refusal } from '../store-arguments.js';

/** A {@link CacheBus} inside one process, whose connection tests can cut and restore. */
export interface MemoryCacheBus extends CacheBus {
  /** Stops delivery and tells every listener the bus is down. */
  disconnect(): void;
  /** Restores delivery and tells every listener the bus is back. */
  reconnect(): void;
}

/**
 * An in-process {@link CacheBus}: share one between several cache services to run them
 * as separate instances in one process.
 *
 * @example
 * ```ts
 * const bus = memoryCacheBus();
 * const a = createCacheService({ store, bus });
 * const b = createCacheService({ store, bus });
 * ```
 */
export function memoryCacheBus(): MemoryCacheBus {
  const listeners = new Set<CacheBusListener>();
  let connected = true;
  const announce = (): void => {
    for (const listener of listeners) listener.connection(connected);
  };
  return {
    get connected() {
      return connected;
    },
    publish(message) {
      const refused = refusal(() => {
        checkBusMessage(message);
      });
      if (refused) return refused;
      if (!connected) return Promise.resolve();
      const targets = [...listeners];
      // Delivery is asynchronous, like a real bus, so callers cannot rely on ordering with it.
      queueMicrotask(() => {
        for (const listener of targets) listener.message(message);
      });
      return Promise.resolve();
    },
    subscribe(listener) {
      checkListener(listener);
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    disconnect() {
      connected = false;
      announce();
    },
    reconnect() {
      connected = true;
      announce();
    },
  };
}
