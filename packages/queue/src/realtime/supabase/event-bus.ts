/**
 * The Supabase Realtime (broadcast) adapter of the {@link EventBus} port.
 *
 * @packageDocumentation
 */
import { z } from 'zod';
import { ExternalServiceError, silentLogger, type Logger } from '@carequeue/core';
import type { RealtimeChannel, SupabaseClient } from '@supabase/supabase-js';
import type { EventBus, RealtimeListener } from '../event-bus.js';
import { parseRealtimeEvent, toRealtimeEvent } from '../realtime-event.js';
import { checkedEventBus } from '../checked-event-bus.js';
import {
  checkFactoryOptions,
  functionOption,
  loggerOption,
  portOption,
} from '../../config/factory-options.js';

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
  /**
   * A client the host built (`createClient(url, key)`), signed in as a staff member (or holding
   * the service role key on a server): channels are private, and Realtime lets the client join
   * and broadcast only as the `realtime.messages` policies of queue migration 0012 allow.
   */
  readonly client: SupabaseClient;
  /**
   * Hands out each topic's next sequence. With several publishing instances pass a shared one
   * (such as `nextTopicSequence` in a transaction); the default counts in this process only.
   *
   * @default an in-process counter
   */
  readonly sequence?: (tenantId: string, topic: string) => Promise<number>;
  /** The broadcast event name. @default 'change' */
  readonly event?: string;
  /** @default silentLogger */
  readonly logger?: Logger;
  /**
   * How long `publish` waits for a channel whose connection dropped to be joined again before it
   * fails. A broadcast is only sent on a joined channel, where Realtime acknowledges it.
   *
   * @default 15000
   */
  readonly rejoinTimeoutMs?: number;
}

interface TopicChannel {
  readonly channel: RealtimeChannel;
  readonly listeners: Set<RealtimeListener>;
  readonly joined: Promise<void>;
  readonly state: ChannelJoinState;
}

interface ChannelJoinState {
  /** Whether the channel has been joined at least once. */
  joined: boolean;
  /**
   * Publishes waiting for the channel to be joined again: called without an error by the next
   * join, with one when the bus closes.
   */
  readonly rejoinWaiters: Set<(failure?: Error) => void>;
}

const SupabaseRealtimeEventBusOptionsSchema = z.object({
  client: portOption('a SupabaseClient', ['channel', 'removeChannel']),
  sequence: functionOption().optional(),
  event: z.string().min(1).max(200).optional(),
  logger: loggerOption.optional(),
  rejoinTimeoutMs: z.number().int().positive().max(600_000).optional(),
});

/**
 * An {@link EventBus} over Supabase Realtime broadcast: one private channel per topic
 * (`carequeue:<topic>`), events sent as broadcast messages with acknowledgement, and received
 * by every other client joined to the topic. Private channels are authorized by the
 * `realtime.messages` policies the queue migrations ship (staff of the tenant or clinic only);
 * turn off "Allow public access" in the project's Realtime settings so no public channel can be
 * joined at all. Broadcast keeps nothing for a client that was
 * away, so each (re)join of a channel calls its subscribers' `onReset` to resync from a
 * snapshot. Publish after the change committed.
 *
 * @throws ExternalServiceError (from `publish` and `subscribe`) when the channel cannot be joined (the
 * caller may not receive the topic) or the message is not acknowledged (it may not broadcast).
 * @example
 * ```ts
 * import { createClient } from '@supabase/supabase-js';
 * import { supabaseRealtimeEventBus } from '@carequeue/queue/supabase-realtime';
 *
 * const bus = supabaseRealtimeEventBus({
 *   client: createClient(url, anonKey, { accessToken: () => Promise.resolve(staffAccessToken) }),
 * });
 * await bus.subscribe(queueTopic(tenantId, queueId), { onEvent: render, onReset: resync });
 * ```
 */
export function supabaseRealtimeEventBus(options: SupabaseRealtimeEventBusOptions): EventBus {
  checkFactoryOptions('supabaseRealtimeEventBus', SupabaseRealtimeEventBusOptionsSchema, options);
  const event = options.event ?? 'change';
  const rejoinTimeoutMs = options.rejoinTimeoutMs ?? 15_000;
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
      // Always private: on a public channel anyone with the anon key and a tenant id could listen
      // to the tenant's queues and broadcast forged events.
      config: { broadcast: { self: false, ack: true }, private: true },
    });
    channel.on('broadcast', { event }, (message: { payload?: unknown }) => {
      const received = parseRealtimeEvent(message.payload);
      if (received === undefined || received.topic !== topic) return;
      for (const listener of listeners) listener.onEvent(received);
    });
    const state: ChannelJoinState = { joined: false, rejoinWaiters: new Set() };
    const joined = (async () => {
      // Private channels are authorized with the token the join carries; the client fetches it
      // asynchronously, so wait for it or the join would go out as the bare API key.
      try {
        await options.client.realtime.setAuth();
      } catch (error: unknown) {
        throw new ExternalServiceError(
          'supabase-realtime',
          "The access token for the realtime channel could not be set. Check the client's accessToken option or session.",
          { cause: error },
        );
      }
      await subscribed(channel, topic, listeners, state);
    })();
    joined.catch(() => {
      // A refused channel would otherwise keep rejoining in the background.
      channels.delete(topic);
      void options.client.removeChannel(channel);
    });
    const created: TopicChannel = { channel, listeners, joined, state };
    channels.set(topic, created);
    return created;
  }

  function subscribed(
    channel: RealtimeChannel,
    topic: string,
    listeners: ReadonlySet<RealtimeListener>,
    state: ChannelJoinState,
  ): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let first = true;
      channel.subscribe((subscribeState) => {
        const status = String(subscribeState);
        if (status === 'SUBSCRIBED') {
          state.joined = true;
          for (const wake of state.rejoinWaiters) wake();
          state.rejoinWaiters.clear();
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
  }

  /**
   * Resolves once the channel is joined on a live connection. After a dropped connection the
   * client rejoins by itself; a broadcast sent before that would not go over the channel (the
   * client falls back to a REST call that is not acknowledged on the channel), so it waits.
   */
  function joinedNow(target: TopicChannel): Promise<void> {
    if (target.channel.state === 'joined' && options.client.realtime.isConnected()) {
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const wake = (failure?: Error): void => {
        clearTimeout(timer);
        if (failure === undefined) resolve();
        else reject(failure);
      };
      const timer = setTimeout(() => {
        target.state.rejoinWaiters.delete(wake);
        reject(
          new ExternalServiceError(
            'supabase-realtime',
            `The realtime channel was not joined again within ${rejoinTimeoutMs} ms after its connection dropped. Check the Realtime URL and the network; subscribers resync when they rejoin.`,
          ),
        );
      }, rejoinTimeoutMs);
      target.state.rejoinWaiters.add(wake);
    });
  }

  return checkedEventBus({
    async publish(change) {
      const topic = channelFor(change.topic);
      await topic.joined;
      await joinedNow(topic);
      const published = toRealtimeEvent(change, await nextSequence(change.tenantId, change.topic));
      const answer = await topic.channel.send({ type: 'broadcast', event, payload: published });
      if (answer !== 'ok') {
        throw new ExternalServiceError(
          'supabase-realtime',
          `The realtime broadcast was not acknowledged (${answer}). Check that the client may broadcast on the topic; subscribers resync when they rejoin.`,
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
      const closed = new ExternalServiceError(
        'supabase-realtime',
        'The realtime bus was closed before the channel was joined again; nothing was broadcast.',
      );
      for (const { state } of all) {
        for (const wake of state.rejoinWaiters) wake(closed);
        state.rejoinWaiters.clear();
      }
      for (const { channel } of all) await options.client.removeChannel(channel);
    },
  });
}
