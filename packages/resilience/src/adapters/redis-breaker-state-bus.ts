import type { Redis } from 'ioredis';
import type { BreakerState } from '../breaker/breaker-state.js';
import type { BreakerStateBus, BreakerStateChange } from '../breaker/breaker-state-bus.js';
import { optionsObject } from '../config/options-object.js';
import { ResilienceStoreError } from '../errors.js';

/**
 * Options of {@link redisBreakerStateBus}.
 *
 * @example
 * ```ts
 * const options: RedisBreakerStateBusOptions = { client, channel: 'cq:breaker-state' };
 * ```
 */
export interface RedisBreakerStateBusOptions {
  /** Publishes changes; a duplicate of it subscribes, since a subscribed connection can do nothing else. */
  readonly client: Redis;
  /** The pub/sub channel every instance of the service shares. @default 'carequeue:breaker-state' */
  readonly channel?: string;
}

/**
 * A {@link BreakerStateBus} on Redis pub/sub, with a way to wait for its subscription and to
 * close its subscriber connection.
 *
 * @example
 * ```ts
 * const bus: RedisBreakerStateBus = redisBreakerStateBus({ client });
 * await bus.ready();
 * ```
 */
export interface RedisBreakerStateBus extends BreakerStateBus {
  /**
   * Resolves once the subscriber connection listens on the channel (changes published before
   * are not received).
   *
   * @throws `ResilienceStoreError` (`[resilience:redis]`) when the subscription fails.
   */
  ready(): Promise<void>;
  /** Quits the subscriber connection; the publishing client stays the caller's. */
  close(): Promise<void>;
}

const STATES: ReadonlySet<string> = new Set<BreakerState>(['closed', 'open', 'half-open']);

function parseChange(message: string): BreakerStateChange | undefined {
  let value: unknown;
  try {
    value = JSON.parse(message);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  const { breaker, state, source, openUntil } = value as Record<string, unknown>;
  if (typeof breaker !== 'string' || typeof source !== 'string') return undefined;
  if (typeof state !== 'string' || !STATES.has(state)) return undefined;
  if (openUntil !== undefined && typeof openUntil !== 'number') return undefined;
  return {
    breaker,
    state: state as BreakerState,
    source,
    ...(openUntil === undefined ? {} : { openUntil }),
  };
}

/**
 * A {@link BreakerStateBus} on Redis pub/sub (ioredis), so that when one instance's breaker for
 * a shared dependency opens, the breakers of the other instances open too instead of each
 * paying for the outage with its own failed calls. Malformed messages on the channel are
 * ignored; delivery is best effort, as breaker broadcasts are advisory.
 *
 * @throws `ResilienceStoreError` (`[resilience:redis]`) from `publish` when Redis refuses it.
 * @example
 * ```ts
 * import Redis from 'ioredis';
 * import { createCircuitBreaker } from '@carequeue/resilience';
 * import { redisBreakerStateBus } from '@carequeue/resilience/redis';
 *
 * const stateBus = redisBreakerStateBus({ client: new Redis(process.env.REDIS_URL!) });
 * await stateBus.ready();
 * const twilio = createCircuitBreaker({ name: 'twilio', stateBus, instanceId: process.env.HOSTNAME });
 * ```
 */
export function redisBreakerStateBus(options: RedisBreakerStateBusOptions): RedisBreakerStateBus {
  const { client } = optionsObject('redisBreakerStateBus options', options);
  optionsObject('redisBreakerStateBus options.client', client);
  const channel = options.channel ?? 'carequeue:breaker-state';
  const listeners = new Set<(change: BreakerStateChange) => void>();
  const subscriber = client.duplicate();
  subscriber.on('message', (from: string, message: string) => {
    if (from !== channel) return;
    const change = parseChange(message);
    if (change === undefined) return;
    for (const listener of [...listeners]) listener(change);
  });
  const subscribed = subscriber.subscribe(channel).then(
    () => undefined,
    (error: unknown) => {
      throw new ResilienceStoreError('redis', 'breaker-state subscribe', { cause: error });
    },
  );
  // Listeners registered before the subscription settles must not see an unhandled rejection.
  subscribed.catch(() => undefined);

  return {
    async publish(change) {
      try {
        await client.publish(channel, JSON.stringify(change));
      } catch (error: unknown) {
        throw new ResilienceStoreError('redis', 'breaker-state publish', { cause: error });
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    ready: () => subscribed,
    async close() {
      listeners.clear();
      await subscriber.quit().catch(() => undefined);
    },
  };
}
