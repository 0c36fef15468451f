import { z } from 'zod';
import { parseArguments, silentLogger, type Logger } from '@carequeue/core';
import type { EventBus, EventSubscription } from './event-bus.js';
import type { RealtimeEvent } from './realtime-event.js';

const aFunction = z.custom<(...args: never[]) => unknown>((value) => typeof value === 'function', {
  message: 'must be a function',
});

const followTopicArguments = z.object({
  options: z.object({
    bus: z.custom<EventBus>(
      (value) =>
        typeof value === 'object' &&
        value !== null &&
        typeof (value as Partial<EventBus>).subscribe === 'function',
      { message: 'must be an EventBus' },
    ),
    topic: z.string().min(1).max(200),
    loadSnapshot: aFunction,
    apply: aFunction,
    onState: aFunction.optional(),
  }),
});

/**
 * A snapshot of what a topic describes, with the topic sequence it reflects.
 *
 * @example
 * ```ts
 * const snapshot: TopicSnapshot<QueueView> = { sequence: 42, state: view };
 * ```
 */
export interface TopicSnapshot<State> {
  readonly sequence: number;
  readonly state: State;
}

/**
 * Options of {@link followTopic}.
 *
 * @example
 * ```ts
 * const options: FollowTopicOptions<QueueView> = {
 *   bus, topic: queueTopic(tenantId, queueId),
 *   loadSnapshot: () => api.queueSnapshot(queueId),
 *   apply: (state, event) => refetchEntry(state, event.entityId, event.entityVersion),
 * };
 * ```
 */
export interface FollowTopicOptions<State> {
  readonly bus: EventBus;
  readonly topic: string;
  /** Reads the current state and the topic sequence it reflects (read both in one transaction). */
  readonly loadSnapshot: () => Promise<TopicSnapshot<State>>;
  /** Applies one event to the state; must be idempotent by entity version. */
  readonly apply: (state: State, event: RealtimeEvent) => State | Promise<State>;
  /** Called with each new state. */
  readonly onState?: (state: State) => void;
  /** @default silentLogger */
  readonly logger?: Logger;
}

/**
 * A followed topic.
 *
 * @example
 * ```ts
 * const follower = await followTopic(options);
 * follower.state(); follower.sequence(); follower.resyncs();
 * ```
 */
export interface TopicFollower<State> {
  /** The latest state, or undefined before the first snapshot arrived. */
  state(): State | undefined;
  /** The sequence the state reflects. */
  sequence(): number;
  /** How many times the follower reloaded a snapshot (first load included). */
  resyncs(): number;
  stop(): Promise<void>;
}

/**
 * Follows a topic: loads a snapshot when the subscription is (re)established, then applies
 * events in sequence order. Events that arrive while a snapshot loads are buffered and applied
 * after it if newer; a duplicate or older event is ignored; a gap (sequence N+2 after N) means
 * an event was missed, so the follower reloads the snapshot instead of guessing.
 *
 * @throws `ValidationError` naming the option, before subscribing, when `options` is not an
 * object with a bus, a topic of 1-200 characters and `loadSnapshot` and `apply` functions.
 * @example
 * ```ts
 * import { followTopic, queueTopic } from '@carequeue/queue';
 *
 * const follower = await followTopic({ bus, topic: queueTopic(tenantId, queueId), loadSnapshot, apply, onState: render });
 * ```
 */
export async function followTopic<State>(
  options: FollowTopicOptions<State>,
): Promise<TopicFollower<State>> {
  parseArguments(followTopicArguments, { options }, 'followTopic');
  const logger = options.logger ?? silentLogger;
  let state: State | undefined;
  let sequence = 0;
  let resyncs = 0;
  let loading: Promise<void> | undefined;
  let reloadRequested = false;
  let buffer: RealtimeEvent[] = [];
  let chain: Promise<void> = Promise.resolve();

  async function applyInOrder(event: RealtimeEvent): Promise<void> {
    if (event.sequence <= sequence || state === undefined) return;
    if (event.sequence > sequence + 1) {
      logger.info(
        { topic: options.topic, expected: sequence + 1, got: event.sequence },
        'gap, resyncing',
      );
      resync();
      return;
    }
    state = await options.apply(state, event);
    sequence = event.sequence;
    options.onState?.(state);
  }

  function resync(): void {
    if (loading !== undefined) {
      reloadRequested = true;
      return;
    }
    loading = (async () => {
      do {
        reloadRequested = false;
        const snapshot = await options.loadSnapshot();
        resyncs += 1;
        state = snapshot.state;
        sequence = snapshot.sequence;
        options.onState?.(state);
      } while (reloadRequested);
    })()
      .catch((error: unknown) => {
        logger.warn(
          { topic: options.topic, error: String((error as Error).name) },
          'snapshot failed',
        );
      })
      .finally(() => {
        loading = undefined;
        if (reloadRequested) {
          // A reset arrived after the last load had read its snapshot.
          reloadRequested = false;
          resync();
          return;
        }
        const pending = buffer.sort((x, y) => x.sequence - y.sequence);
        buffer = [];
        chain = chain.then(async () => {
          for (const event of pending) await applyInOrder(event);
        });
      });
  }

  const subscription: EventSubscription = await options.bus.subscribe(options.topic, {
    onEvent(event) {
      if (loading !== undefined) {
        buffer.push(event);
        return;
      }
      chain = chain.then(() => applyInOrder(event));
    },
    onReset() {
      resync();
    },
  });

  return {
    state: () => state,
    sequence: () => sequence,
    resyncs: () => resyncs,
    async stop() {
      await subscription.unsubscribe();
    },
  };
}
