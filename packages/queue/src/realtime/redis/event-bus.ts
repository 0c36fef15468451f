/**
 * The Redis pub/sub adapter of the {@link EventBus} port.
 *
 * @packageDocumentation
 */
import { z } from 'zod';
import type { Cluster, Redis } from 'ioredis';
import type { EventBus, RealtimeListener } from '../event-bus.js';
import { parseRealtimeEvent, realtimeEventFields, type RealtimeEvent } from '../realtime-event.js';
import { checkedEventBus } from '../checked-event-bus.js';
import { checkFactoryOptions, portOption } from '../../config/factory-options.js';

/**
 * Options of {@link redisEventBus}.
 *
 * @example
 * ```ts
 * const options: RedisEventBusOptions = { publisher: redis, subscriber: redis.duplicate() };
 * ```
 */
export interface RedisEventBusOptions {
  /** Runs the publish script and reads sequences. */
  readonly publisher: Redis | Cluster;
  /** A connection of its own in subscriber mode (`redis.duplicate()`); the bus does not close it. */
  readonly subscriber: Redis;
  /** Prefix of channels and sequence keys. @default 'cq:rt:' */
  readonly prefix?: string;
}

// INCR and PUBLISH in one script: Redis runs it atomically, so messages of a topic leave in
// sequence order even with many publishing instances.
const PUBLISH_SCRIPT = `
local sequence = redis.call('INCR', KEYS[1])
local event = cjson.decode(ARGV[2])
event['sequence'] = sequence
redis.call('PUBLISH', ARGV[1], cjson.encode(event))
return sequence
`;

const RedisEventBusOptionsSchema = z.object({
  publisher: portOption('a Redis or Cluster client', ['eval', 'get']),
  subscriber: portOption('a Redis client', ['on', 'off', 'subscribe', 'unsubscribe']),
  prefix: z.string().max(200).optional(),
});

/**
 * An {@link EventBus} over Redis pub/sub for several application instances. Each publish runs one
 * script that increments the topic's sequence key and publishes the event with it, so sequences
 * are gapless and in order per topic. Redis pub/sub does not keep messages for a subscriber that
 * was away: when the subscriber connection comes back (ioredis resubscribes by itself), every
 * subscriber's `onReset` is called to resync from a snapshot. Publish after the change committed
 * (QueueService's `afterCommit`); a crash between commit and publish loses that event, and the
 * next resync repairs it.
 *
 * @example
 * ```ts
 * import Redis from 'ioredis';
 * import { redisEventBus } from '@carequeue/queue/redis';
 *
 * const redis = new Redis(url);
 * const bus = redisEventBus({ publisher: redis, subscriber: redis.duplicate() });
 * const queue = createQueueService({ ...options, afterCommit: (events) => publishAll(bus, queueRealtimeChanges(events)) });
 * ```
 */
export function redisEventBus(options: RedisEventBusOptions): EventBus {
  checkFactoryOptions('redisEventBus', RedisEventBusOptionsSchema, options);
  const prefix = options.prefix ?? 'cq:rt:';
  const { publisher, subscriber } = options;
  const listeners = new Map<string, Set<RealtimeListener>>();
  const channelOf = (topic: string): string => `${prefix}${topic}`;
  const sequenceKey = (tenantId: string, topic: string): string =>
    `${prefix}seq:${tenantId}:${topic}`;
  let ready = subscriber.status === 'ready';

  const onMessage = (channel: string, message: string): void => {
    if (!channel.startsWith(prefix)) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(message);
    } catch {
      return;
    }
    const event = parseRealtimeEvent(parsed);
    if (event === undefined || channelOf(event.topic) !== channel) return;
    for (const listener of listeners.get(event.topic) ?? []) listener.onEvent(event);
  };
  const onReady = (): void => {
    const reconnected = ready;
    ready = true;
    if (!reconnected) return;
    for (const set of listeners.values()) for (const listener of set) listener.onReset?.();
  };
  subscriber.on('message', onMessage);
  subscriber.on('ready', onReady);

  return checkedEventBus({
    async publish(change) {
      const wire = realtimeEventFields(change);
      const sequence = Number(
        await publisher.eval(
          PUBLISH_SCRIPT,
          1,
          sequenceKey(change.tenantId, change.topic),
          channelOf(change.topic),
          JSON.stringify(wire),
        ),
      );
      const published: RealtimeEvent = { ...wire, sequence };
      return published;
    },
    async subscribe(topic, listener) {
      let set = listeners.get(topic);
      if (set === undefined) {
        set = new Set<RealtimeListener>();
        listeners.set(topic, set);
        await subscriber.subscribe(channelOf(topic));
      }
      set.add(listener);
      listener.onReset?.();
      const members = set;
      return {
        async unsubscribe() {
          members.delete(listener);
          if (members.size === 0 && listeners.get(topic) === members) {
            listeners.delete(topic);
            await subscriber.unsubscribe(channelOf(topic));
          }
        },
      };
    },
    async currentSequence(tenantId, topic) {
      return Number((await publisher.get(sequenceKey(tenantId, topic))) ?? 0);
    },
    async close() {
      subscriber.off('message', onMessage);
      subscriber.off('ready', onReady);
      const channels = [...listeners.keys()].map(channelOf);
      listeners.clear();
      if (channels.length > 0 && subscriber.status === 'ready')
        await subscriber.unsubscribe(...channels);
    },
  });
}
