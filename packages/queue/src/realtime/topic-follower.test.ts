import { describe, expect, it } from 'vitest';
import type { EventBus, RealtimeListener } from './event-bus.js';
import { memoryEventBus } from './memory/event-bus.js';
import {
  parseRealtimeEvent,
  queueRealtimeChanges,
  queueTopic,
  tenantTopic,
  toRealtimeEvent,
  type RealtimeChange,
  type RealtimeEvent,
} from './realtime-event.js';
import { followTopic } from './topic-follower.js';

const TENANT = '01900000-0000-7000-8000-000000000001';
const QUEUE = '01900000-0000-7000-8000-000000000002';
const topic = queueTopic(TENANT, QUEUE);

function change(entityId: string, entityVersion: number): RealtimeChange {
  return {
    topic,
    tenantId: TENANT,
    queueId: QUEUE,
    type: 'queue.called',
    entityId,
    entityVersion,
    occurredAt: '2026-03-02T09:00:00.000Z',
  };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 20; i += 1) await Promise.resolve();
}

/** A bus whose delivery the test controls: it can drop events and reset subscribers. */
function controlledBus(): EventBus & { deliver(event: RealtimeEvent): void; reset(): void } {
  const listeners = new Set<RealtimeListener>();
  return {
    publish: () => Promise.reject(new Error('not used')),
    subscribe(_topic, listener) {
      listeners.add(listener);
      listener.onReset?.();
      return Promise.resolve({
        unsubscribe: () => Promise.resolve(void listeners.delete(listener)),
      });
    },
    currentSequence: () => Promise.resolve(0),
    close: () => Promise.resolve(),
    deliver(event) {
      for (const listener of listeners) listener.onEvent(event);
    },
    reset() {
      for (const listener of listeners) listener.onReset?.();
    },
  };
}

describe('realtime events', () => {
  it('carry only ids, versions, the type and the time, whatever the change object holds', () => {
    const leaky = { ...change('e1', 1), guestName: 'Pat Example', phone: '+14155550100' };
    const event = toRealtimeEvent(leaky, 4);
    expect(Object.keys(event).sort()).toEqual(
      [
        'entityId',
        'entityVersion',
        'occurredAt',
        'queueId',
        'sequence',
        'tenantId',
        'topic',
        'type',
      ].sort(),
    );
    expect(JSON.stringify(event)).not.toContain('Pat');
    expect(parseRealtimeEvent({ ...event, guestName: 'Pat' })).toEqual(event);
    expect(parseRealtimeEvent({ ...event, sequence: '4' })).toBeUndefined();
    expect(parseRealtimeEvent('x')).toBeUndefined();
  });

  it('maps each queue event to its queue topic and its tenant topic', () => {
    const changes = queueRealtimeChanges([
      {
        tenantId: TENANT as never,
        clinicId: 'c1' as never,
        queueId: QUEUE as never,
        entryId: 'e1' as never,
        version: 7,
        type: 'called',
        fromStatus: 'waiting',
        toStatus: 'called',
        entryVersion: 2,
        occurredAt: '2026-03-02T09:00:00.000Z',
      },
    ]);
    expect(changes.map((c) => c.topic)).toEqual([topic, tenantTopic(TENANT)]);
    expect(changes[0]).toMatchObject({ type: 'queue.called', entityId: 'e1', entityVersion: 2 });
  });
});

describe('memoryEventBus', () => {
  it('numbers events per topic and delivers them to subscribers of that topic only', async () => {
    const bus = memoryEventBus();
    const seen: RealtimeEvent[] = [];
    const other: RealtimeEvent[] = [];
    let resets = 0;
    const subscription = await bus.subscribe(topic, {
      onEvent: (e) => seen.push(e),
      onReset: () => (resets += 1),
    });
    await bus.subscribe(tenantTopic(TENANT), { onEvent: (e) => other.push(e) });

    await bus.publish(change('e1', 1));
    await bus.publish(change('e2', 1));
    await settle();
    await subscription.unsubscribe();
    await bus.publish(change('e3', 1));
    await settle();

    expect(seen.map((e) => e.sequence)).toEqual([1, 2]);
    expect(other).toEqual([]);
    expect(resets).toBe(1);
    expect(await bus.currentSequence(TENANT, topic)).toBe(3);
    await bus.close();
  });
});

describe('followTopic', () => {
  interface View {
    readonly versions: Readonly<Record<string, number>>;
  }
  const apply = (state: View, event: RealtimeEvent): View =>
    (state.versions[event.entityId] ?? 0) >= event.entityVersion
      ? state
      : { versions: { ...state.versions, [event.entityId]: event.entityVersion } };

  it('loads a snapshot, applies events in order, ignores duplicates and resyncs on a gap', async () => {
    const bus = controlledBus();
    let server: { sequence: number; state: View } = { sequence: 2, state: { versions: { a: 1 } } };
    const states: View[] = [];
    const follower = await followTopic({
      bus,
      topic,
      loadSnapshot: () => Promise.resolve(server),
      apply,
      onState: (state) => states.push(state),
    });
    await settle();
    expect(follower.state()).toEqual({ versions: { a: 1 } });
    expect(follower.resyncs()).toBe(1);

    bus.deliver(toRealtimeEvent(change('a', 2), 3));
    bus.deliver(toRealtimeEvent(change('a', 2), 3));
    bus.deliver(toRealtimeEvent(change('b', 1), 2));
    await settle();
    expect(follower.sequence()).toBe(3);
    expect(follower.state()).toEqual({ versions: { a: 2 } });

    server = { sequence: 6, state: { versions: { a: 2, b: 1, c: 1 } } };
    bus.deliver(toRealtimeEvent(change('c', 1), 6));
    await settle();
    expect(follower.resyncs()).toBe(2);
    expect(follower.sequence()).toBe(6);
    expect(follower.state()).toEqual(server.state);
    expect(states.length).toBeGreaterThanOrEqual(3);
    await follower.stop();
  });

  it('buffers events that arrive while a snapshot loads and applies the newer ones after it', async () => {
    const bus = controlledBus();
    let release: (snapshot: { sequence: number; state: View }) => void = () => undefined;
    const follower = await followTopic({
      bus,
      topic,
      loadSnapshot: () =>
        new Promise<{ sequence: number; state: View }>((resolve) => {
          release = resolve;
        }),
      apply,
    });
    bus.deliver(toRealtimeEvent(change('a', 1), 1));
    bus.deliver(toRealtimeEvent(change('b', 1), 3));
    bus.deliver(toRealtimeEvent(change('a', 2), 2));
    release({ sequence: 1, state: { versions: { a: 1 } } });
    await settle();

    expect(follower.sequence()).toBe(3);
    expect(follower.state()).toEqual({ versions: { a: 2, b: 1 } });
  });

  it('reloads once more when a reset arrives during a load, and survives a failing snapshot', async () => {
    const bus = controlledBus();
    let loads = 0;
    let fail = false;
    const follower = await followTopic({
      bus,
      topic,
      loadSnapshot: () => {
        loads += 1;
        if (fail) return Promise.reject(new Error('database away'));
        return Promise.resolve({ sequence: loads, state: { versions: {} } });
      },
      apply,
    });
    bus.reset();
    await settle();
    expect(loads).toBe(2);
    expect(follower.sequence()).toBe(2);

    fail = true;
    bus.reset();
    await settle();
    expect(follower.sequence()).toBe(2);
  });
});
