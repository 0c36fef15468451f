import type { EventBus, RealtimeListener } from '../event-bus.js';
import { toRealtimeEvent } from '../realtime-event.js';
import { checkedEventBus } from '../checked-event-bus.js';

/**
 * An {@link EventBus} within one process: sequences per topic in memory, delivery on a
 * microtask (never inside the publisher's call stack). The default for tests and single-instance
 * hosts.
 *
 * @example
 * ```ts
 * import { memoryEventBus, queueTopic } from '@carequeue/queue';
 *
 * const bus = memoryEventBus();
 * await bus.subscribe(queueTopic(tenantId, queueId), { onEvent: (event) => console.log(event.sequence) });
 * ```
 */
export function memoryEventBus(): EventBus {
  const sequences = new Map<string, number>();
  const listeners = new Map<string, Set<RealtimeListener>>();
  const key = (tenantId: string, topic: string): string => `${tenantId}|${topic}`;
  return checkedEventBus({
    publish(change) {
      const k = key(change.tenantId, change.topic);
      const sequence = (sequences.get(k) ?? 0) + 1;
      sequences.set(k, sequence);
      const event = toRealtimeEvent(change, sequence);
      const targets = [...(listeners.get(change.topic) ?? [])];
      queueMicrotask(() => {
        for (const listener of targets) listener.onEvent(event);
      });
      return Promise.resolve(event);
    },
    subscribe(topic, listener) {
      const set = listeners.get(topic) ?? new Set<RealtimeListener>();
      set.add(listener);
      listeners.set(topic, set);
      queueMicrotask(() => listener.onReset?.());
      return Promise.resolve({
        unsubscribe() {
          set.delete(listener);
          return Promise.resolve();
        },
      });
    },
    currentSequence(tenantId, topic) {
      return Promise.resolve(sequences.get(key(tenantId, topic)) ?? 0);
    },
    close() {
      listeners.clear();
      return Promise.resolve();
    },
  });
}
