import type { Cluster, Redis } from 'ioredis';
import type { CacheBus, CacheBusListener, CacheBusMessage } from '../cache-bus.js';
import { CacheRedisError } from '../errors.js';
import { checkBusMessage, checkListener, checkRedisOptions } from '../store-arguments.js';

/**
 * Options of {@link redisCacheBus}.
 *
 * @example
 * ```ts
 * const options: RedisCacheBusOptions = { client, channel: 'cq:cache:bus' };
 * ```
 */
export interface RedisCacheBusOptions {
  /** Publishes messages; a duplicate of it subscribes. */
  readonly client: Redis | Cluster;
  /** The pub/sub channel. @default 'cq:c:bus' */
  readonly channel?: string;
}

/**
 * A {@link CacheBus} over Redis pub/sub, closed with `close()`.
 *
 * @example
 * ```ts
 * const bus = await redisCacheBus({ client });
 * // ...
 * await bus.close();
 * ```
 */
export interface RedisCacheBus extends CacheBus {
  /** Unsubscribes and closes the subscriber connection. */
  close(): Promise<void>;
}

function parseMessage(text: string): CacheBusMessage | undefined {
  try {
    const parsed = JSON.parse(text) as Partial<CacheBusMessage>;
    return typeof parsed.origin === 'string' && typeof parsed.scope === 'string'
      ? (parsed as CacheBusMessage)
      : undefined;
  } catch {
    return undefined;
  }
}

function untilReady(client: Redis | Cluster): Promise<void> {
  return new Promise((resolve, reject) => {
    client.once('ready', () => resolve());
    client.once('end', () =>
      reject(new Error('The subscriber connection ended before it was ready.')),
    );
  });
}

/**
 * A {@link CacheBus} over Redis pub/sub. Messages carry hashed keys and generation
 * numbers only, never values. Resolves once the subscription is active.
 *
 * @throws `CacheConfigError` naming the option when `client` or `channel` is malformed;
 * `CacheRedisError` when the subscription cannot be made.
 * @example
 * ```ts
 * import { redisCacheBus } from '@carequeue/cache/redis';
 *
 * const bus = await redisCacheBus({ client });
 * const cache = createCacheService({ store, bus, keySecret, encryptor });
 * ```
 */
export async function redisCacheBus(options: RedisCacheBusOptions): Promise<RedisCacheBus> {
  checkRedisOptions(options, 'redisCacheBus');
  const channel = options.channel ?? 'cq:c:bus';
  // ioredis 6 gives Redis and Cluster `duplicate` signatures a union cannot call; each returns a
  // connection of its own kind with the same options.
  const duplicate: () => Redis | Cluster = options.client.duplicate.bind(options.client);
  const subscriber = duplicate();
  const listeners = new Set<CacheBusListener>();
  let connected = false;
  const announce = (up: boolean): void => {
    if (up === connected) return;
    connected = up;
    for (const listener of listeners) listener.connection(up);
  };
  subscriber.on('error', () => undefined);
  subscriber.on('close', () => announce(false));
  subscriber.on('ready', () => announce(true));
  subscriber.on('message', (from: string, text: string) => {
    if (from !== channel) return;
    const message = parseMessage(text);
    if (message === undefined) return;
    for (const listener of listeners) listener.message(message);
  });
  try {
    // A client made with `enableOfflineQueue: false` refuses commands until it is connected.
    if (subscriber.status !== 'ready') await untilReady(subscriber);
    await subscriber.subscribe(channel);
  } catch (error: unknown) {
    subscriber.disconnect();
    throw new CacheRedisError('subscribe', { cause: error });
  }
  connected = true;
  return {
    get connected() {
      return connected;
    },
    async publish(message) {
      checkBusMessage(message);
      try {
        await options.client.publish(channel, JSON.stringify(message));
      } catch (error: unknown) {
        throw new CacheRedisError('publish', { cause: error });
      }
    },
    subscribe(listener) {
      checkListener(listener);
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      listeners.clear();
      subscriber.removeAllListeners('close');
      await subscriber.quit().catch(() => undefined);
    },
  };
}
