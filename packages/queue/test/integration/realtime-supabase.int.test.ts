import { ExternalServiceError } from '@carequeue/core';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { freePort, waitUntil } from '@carequeue/test-harness';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RealtimeChange, RealtimeEvent } from '../../src/realtime/realtime-event.js';
import { queueTopic } from '../../src/realtime/realtime-event.js';
import { supabaseRealtimeEventBus } from '../../src/realtime/supabase-realtime-event-bus.js';
import { followTopic } from '../../src/realtime/topic-follower.js';
import { applyToView, type QueueView } from './realtime-fixture.js';
import { RealtimeStandIn } from './realtime-supabase-stand-in.js';

const TENANT = '01900000-0000-7000-8000-000000000001';
const QUEUE = '01900000-0000-7000-8000-000000000002';
const topic = queueTopic(TENANT, QUEUE);

let standIn: RealtimeStandIn;
let url = '';
const clients: SupabaseClient[] = [];

beforeAll(async () => {
  const port = await freePort();
  standIn = new RealtimeStandIn(port);
  url = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  for (const client of clients) await client.removeAllChannels();
  await standIn.close();
});

function client(timeoutMs = 5000): SupabaseClient {
  const created = createClient(url, 'anon-test-key', {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: {
      transport: WebSocket as never,
      vsn: '1.0.0',
      timeout: timeoutMs,
      heartbeatIntervalMs: 300,
      reconnectAfterMs: () => 100,
    },
  });
  clients.push(created);
  return created;
}

function change(entityId: string, entityVersion: number, target = topic): RealtimeChange {
  return {
    topic: target,
    tenantId: TENANT,
    queueId: QUEUE,
    type: 'queue.called',
    entityId,
    entityVersion,
    occurredAt: '2026-03-02T09:00:00.000Z',
  };
}

describe('supabaseRealtimeEventBus against a Realtime stand-in (Phoenix channels)', () => {
  it('broadcasts to a subscriber on another client, and the subscriber resyncs when its socket comes back', async () => {
    const publisher = supabaseRealtimeEventBus({ client: client() });
    const subscriber = supabaseRealtimeEventBus({ client: client() });
    // What a server would hold: each entity's version, updated as changes commit.
    const truth: Record<string, number> = {};
    const commit = async (entityId: string, version: number): Promise<RealtimeEvent> => {
      truth[entityId] = version;
      return publisher.publish(change(entityId, version));
    };
    const follower = await followTopic<QueueView>({
      bus: subscriber,
      topic,
      loadSnapshot: async () => ({
        sequence: await publisher.currentSequence(TENANT, topic),
        state: { versions: { ...truth } },
      }),
      apply: applyToView,
    });
    await waitUntil(() => follower.resyncs() === 1, { timeoutMs: 10_000, description: 'join' });

    const first = await commit('e1', 0);
    await commit('e1', 1);
    await waitUntil(() => follower.sequence() === 2, {
      timeoutMs: 10_000,
      description: 'two broadcasts',
    });
    expect(first.sequence).toBe(1);
    expect(follower.state()?.versions).toEqual({ e1: 1 });

    const join = standIn.received.find((message) => message.event === 'phx_join');
    expect(join?.topic).toBe(`realtime:carequeue:${topic}`);
    expect(join?.payload.config).toMatchObject({
      broadcast: { ack: true, self: false },
      private: false,
    });
    const broadcast = standIn.received.find((message) => message.event === 'broadcast');
    expect(broadcast?.payload).toMatchObject({ type: 'broadcast', event: 'change' });
    expect(Object.keys(broadcast?.payload.payload ?? {}).sort()).toEqual(
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
    await waitUntil(
      () =>
        standIn.received.some(
          (message) => message.topic === 'phoenix' && message.event === 'heartbeat',
        ),
      { timeoutMs: 10_000, description: 'a heartbeat' },
    );

    standIn.dropConnections();
    // Changes committed while the subscriber is away; the publisher's broadcast may be lost.
    truth.e2 = 0;
    truth.e1 = 2;
    await waitUntil(() => follower.resyncs() >= 2, {
      timeoutMs: 20_000,
      description: 'rejoin and resync',
    });
    await commit('e3', 0);
    await waitUntil(() => follower.state()?.versions.e3 === 0, {
      timeoutMs: 10_000,
      description: 'after rejoin',
    });
    expect(follower.state()?.versions).toEqual(truth);
    await follower.stop();
    await publisher.close();
    await subscriber.close();
  });

  it('rejects when the channel join is refused or a broadcast is not acknowledged', async () => {
    const refused = queueTopic(TENANT, 'refused');
    standIn.refuseJoins.add(`realtime:carequeue:${refused}`);
    const bus = supabaseRealtimeEventBus({ client: client(500) });

    await expect(bus.subscribe(refused, { onEvent: () => undefined })).rejects.toBeInstanceOf(
      ExternalServiceError,
    );

    standIn.acknowledge = false;
    try {
      await expect(
        bus.publish(change('e9', 0, queueTopic(TENANT, 'silent'))),
      ).rejects.toBeInstanceOf(ExternalServiceError);
    } finally {
      standIn.acknowledge = true;
    }
    await bus.close();
  });
});
