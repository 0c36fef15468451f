/**
 * The Supabase Realtime (broadcast) adapter of the {@link EventBus} port.
 *
 * @packageDocumentation
 */
import { ExternalServiceError, silentLogger, type Logger } from '@carequeue/core';
import type { RealtimeChannel, SupabaseClient } from '@supabase/supabase-js';
import type { EventBus, RealtimeListener } from './event-bus.js';
import { parseRealtimeEvent, toRealtimeEvent } from './realtime-event.js';
import { checkedEventBus } from './checked-event-bus.js';

/**
 * Options of {@link supabaseRealtimeEventBus}.
 *
 * @example
 * ```ts
 * const options: SupabaseRealtimeEventBusOptions = {
 *   client: supabase,
 *   sequence: (tenantId, topic) => sql.transaction((tx) => nextTopicSequence(tx, tenantId, topic)),
 * };
 * ```
 */
export interface SupabaseRealtimeEventBusOptions {
  /** A client the host built (`createClient(url, key)`), signed in as needed for private channels. */
  readonly client: SupabaseClient;
  /**
   * Hands out each topic's next sequence. With several publishing instances pass a shared one
   * (such as `nextTopicSequence` in a transaction); the default counts in this process only.
   *
   * @default an in-process counter
   */
  readonly sequence?: (tenantId: string, topic: string) => Promise<number>;
  /** Use private channels, authorized by RLS on `realtime.messages`. @default false */
  readonly private?: boolean;
  /** The broadcast event name. @default 'change' */
  readonly event?: string;
  /** @default silentLogger */
  readonly logger?: Logger;
}

interface TopicChannel {
  readonly channel: RealtimeChannel;
  readonly listeners: Set<RealtimeListener>;
  readonly joined: Promise<void>;
  /** Whether the channel has been joined at least once. */
  readonly state: { joined: boolean };
}

/**
 * An {@link EventBus} over Supabase Realtime broadcast: one channel per topic
 * (`carequeue:<topic>`), events sent as broadcast messages with acknowledgement, and received
 * by every other client joined to the topic. Broadcast keeps nothing for a client that was
 * away, so each (re)join of a channel calls its subscribers' `onReset` to resync from a
 * snapshot. Publish after the change committed.
 *
 * @throws ExternalServiceError (from `publish`) when the channel cannot be joined or the message is not acknowledged.
 * @example
 * ```ts
 * import { createClient } from '@supabase/supabase-js';
 * import { supabaseRealtimeEventBus } from '@carequeue/queue/supabase-realtime';
 *
 * const bus = supabaseRealtimeEventBus({ client: createClient(url, anonKey) });
 * await bus.subscribe(queueTopic(tenantId, queueId), { onEvent: render, onReset: resync });
 * ```
 */
export function supabaseRealtimeEventBus(options: SupabaseRealtimeEventBusOptions): EventBus {
  const event = options.event ?? 'change';
  const logger = (options.logger ?? silentLogger).child({ component: 'supabase-realtime-bus' });
  const counters = new Map<string, number>();
  const nextSequence =
    options.sequence ??
    ((tenantId: string, topic: string) => {
      const key = `${tenantId}|${topic}`;
      const next = (counters.get(key) ?? 0) + 1;
      counters.set(key, next);
      return Promise.resolve(next);
    });
  const channels = new Map<string, TopicChannel>();

  function channelFor(topic: string): TopicChannel {
    const existing = channels.get(topic);
    if (existing !== undefined) return existing;
    const listeners = new Set<RealtimeListener>();
    const channel = options.client.channel(`carequeue:${topic}`, {
      config: { broadcast: { self: false, ack: true }, private: options.private ?? false },
    });
    channel.on('broadcast', { event }, (message: { payload?: unknown }) => {
      const received = parseRealtimeEvent(message.payload);
      if (received === undefined || received.topic !== topic) return;
      for (const listener of listeners) listener.onEvent(received);
    });
    const state = { joined: false };
    const joined = new Promise<void>((resolve, reject) => {
      let first = true;
      channel.subscribe((subscribeState) => {
        const status = String(subscribeState);
        if (status === 'SUBSCRIBED') {
          state.joined = true;
          if (first) {
            first = false;
            resolve();
          }
          for (const listener of listeners) listener.onReset?.();
        } else if (status === 'CHANNEL_ERROR' || status === 'TIMED_OUT') {
          logger.warn({ topic, status }, 'realtime channel not joined');
          if (first) {
            first = false;
            reject(
              new ExternalServiceError(
                'supabase-realtime',
                `The realtime channel could not be joined (${status}). Check the Realtime URL, the key and channel authorization.`,
              ),
            );
          }
        }
      });
    });
    joined.catch(() => channels.delete(topic));
    const created: TopicChannel = { channel, listeners, joined, state };
    channels.set(topic, created);
    return created;
  }

  return checkedEventBus({
    async publish(change) {
      const topic = channelFor(change.topic);
      await topic.joined;
      const published = toRealtimeEvent(change, await nextSequence(change.tenantId, change.topic));
      const answer = await topic.channel.send({ type: 'broadcast', event, payload: published });
      if (answer !== 'ok') {
        throw new ExternalServiceError(
          'supabase-realtime',
          `The realtime broadcast was not acknowledged (${answer}). Subscribers resync when they rejoin.`,
        );
      }
      return published;
    },
    async subscribe(topic, listener) {
      const target = channelFor(topic);
      // A listener added before the first join hears onReset from the join itself.
      const alreadyJoined = target.state.joined;
      target.listeners.add(listener);
      await target.joined;
      if (alreadyJoined) listener.onReset?.();
      return {
        unsubscribe() {
          target.listeners.delete(listener);
          return Promise.resolve();
        },
      };
    },
    currentSequence(tenantId, topic) {
      return Promise.resolve(counters.get(`${tenantId}|${topic}`) ?? 0);
    },
    async close() {
      const all = [...channels.values()];
      channels.clear();
      for (const { channel } of all) await options.client.removeChannel(channel);
    },
  });
}
