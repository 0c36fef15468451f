import { ExternalServiceError } from '@carequeue/core';
import type { SqlExecutor } from '@carequeue/core/sql';
import { freePort, waitUntil } from '@carequeue/test-harness';
import { createClient, type RealtimeChannel, type SupabaseClient } from '@supabase/supabase-js';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RealtimeChange, RealtimeEvent } from '../../src/realtime/realtime-event.js';
import { queueTopic, tenantTopic } from '../../src/realtime/realtime-event.js';
import { supabaseRealtimeEventBus } from '../../src/realtime/supabase/event-bus.js';
import { followTopic } from '../../src/realtime/topic-follower.js';
import { openLine } from './realtime-authorization-scenarios.js';
import { applyToView, type QueueView } from './realtime-fixture.js';
import { RealtimeStandIn } from './realtime-supabase-stand-in.js';
import { ANON_KEY, jwt } from './supabase-postgrest.js';
import {
  adminClaims,
  patientClaims,
  receptionistClaims,
  seedTwoTenants,
} from './tenant-fixture.js';
import type { SeededTenant } from './tenant-fixture.js';

const RECEIVED = Symbol('received');

/** A raw channel a test opens itself, with every broadcast it heard. */
interface RawChannel {
  readonly channel: RealtimeChannel;
  readonly [RECEIVED]: unknown[];
}

/**
 * supabaseRealtimeEventBus against a Realtime stand-in whose joins and broadcasts are decided by
 * the `realtime.messages` policies of the database `executor()` returns.
 */
export function realtimeSupabaseScenarios(executor: () => SqlExecutor): void {
  let strict: RealtimeStandIn;
  let lenient: RealtimeStandIn;
  let a: SeededTenant;
  let b: SeededTenant;
  let queueA1 = '';
  let queueB1 = '';
  const clients: SupabaseClient[] = [];

  beforeAll(async () => {
    ({ a, b } = await seedTwoTenants(executor()));
    queueA1 = await openLine(executor(), a.tenantId, a.clinicOne);
    queueB1 = await openLine(executor(), b.tenantId, b.clinicOne);
    strict = new RealtimeStandIn({ port: await freePort(), executor });
    // A project whose "Allow public access" is on, as it is by default: the bus must be safe there.
    lenient = new RealtimeStandIn({ port: await freePort(), executor, allowPublicChannels: true });
  });
  afterAll(async () => {
    for (const client of clients) await client.removeAllChannels();
    await strict.close();
    await lenient.close();
  });

  function client(token: string, server = strict, timeoutMs = 5000): SupabaseClient {
    const created = createClient(server.url, ANON_KEY, {
      auth: { persistSession: false, autoRefreshToken: false },
      accessToken: () => Promise.resolve(token),
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

  /** Joins `topic` as a raw channel (not through the bus), recording what it hears. */
  async function rawJoin(
    from: SupabaseClient,
    topic: string,
    isPrivate: boolean,
  ): Promise<RawChannel & { readonly status: string }> {
    const heard: unknown[] = [];
    await from.realtime.setAuth();
    const channel = from.channel(`carequeue:${topic}`, {
      config: { broadcast: { self: false, ack: true }, private: isPrivate },
    });
    channel.on('broadcast', { event: 'change' }, (message: { payload?: unknown }) => {
      heard.push(message.payload);
    });
    const status = await new Promise<string>((resolve) => {
      channel.subscribe((state) => {
        const text = String(state);
        if (text !== 'CLOSED') resolve(text);
      });
    });
    return { channel, [RECEIVED]: heard, status };
  }

  function change(
    tenantId: string,
    entityId: string,
    entityVersion: number,
    target: string,
  ): RealtimeChange {
    return {
      topic: target,
      tenantId,
      queueId: target.split(':')[2],
      type: 'queue.called',
      entityId,
      entityVersion,
      occurredAt: '2026-03-02T09:00:00.000Z',
    };
  }

  describe('supabaseRealtimeEventBus against a Realtime stand-in (Phoenix channels)', () => {
    it('broadcasts on a private channel to a subscriber on another client, and the subscriber resyncs when its socket comes back', async () => {
      const topic = queueTopic(a.tenantId, queueA1);
      const publisher = supabaseRealtimeEventBus({ client: client(jwt(adminClaims(a))) });
      const subscriber = supabaseRealtimeEventBus({ client: client(jwt(receptionistClaims(a))) });
      // What a server would hold: each entity's version, updated as changes commit.
      const truth: Record<string, number> = {};
      const commit = async (entityId: string, version: number): Promise<RealtimeEvent> => {
        truth[entityId] = version;
        return publisher.publish(change(a.tenantId, entityId, version, topic));
      };
      const follower = await followTopic<QueueView>({
        bus: subscriber,
        topic,
        loadSnapshot: async () => ({
          sequence: await publisher.currentSequence(a.tenantId, topic),
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

      const join = strict.received.find((message) => message.event === 'phx_join');
      expect(join?.topic).toBe(`realtime:carequeue:${topic}`);
      expect(join?.payload.config).toMatchObject({
        broadcast: { ack: true, self: false },
        private: true,
      });
      const broadcast = strict.received.find((message) => message.event === 'broadcast');
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
          strict.received.some(
            (message) => message.topic === 'phoenix' && message.event === 'heartbeat',
          ),
        { timeoutMs: 10_000, description: 'a heartbeat' },
      );

      strict.dropConnections();
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

    it('a change published while the connection is down is broadcast and acknowledged once the channel rejoins', async () => {
      const topic = queueTopic(a.tenantId, queueA1);
      const publisherClient = client(jwt(adminClaims(a)));
      const publisher = supabaseRealtimeEventBus({ client: publisherClient });
      await publisher.publish(change(a.tenantId, 'e1', 0, topic));
      const broadcasts = () =>
        strict.received.filter(
          (message) =>
            message.event === 'broadcast' && message.topic === `realtime:carequeue:${topic}`,
        ).length;
      const before = broadcasts();

      strict.dropConnections();
      // Published once the client knows its connection is gone and before it has rejoined.
      await waitUntil(() => !publisherClient.realtime.isConnected(), {
        timeoutMs: 10_000,
        description: 'the client sees the dropped connection',
      });
      const published = await publisher.publish(change(a.tenantId, 'e1', 1, topic));

      expect(published).toMatchObject({ sequence: 2, entityVersion: 1 });
      expect(broadcasts()).toBe(before + 1);
      await publisher.close();
    }, 30_000);

    it("anon with a tenant id cannot join or read a tenant's queue topic", async () => {
      const topic = queueTopic(a.tenantId, queueA1);
      const anonBus = supabaseRealtimeEventBus({ client: client(ANON_KEY, lenient, 1000) });
      await expect(anonBus.subscribe(topic, { onEvent: () => undefined })).rejects.toBeInstanceOf(
        ExternalServiceError,
      );
      await expect(
        anonBus.subscribe(tenantTopic(a.tenantId), { onEvent: () => undefined }),
      ).rejects.toBeInstanceOf(ExternalServiceError);
      expect((await rawJoin(client(ANON_KEY), topic, false)).status).toBe('CHANNEL_ERROR');

      // A public channel of the same name is another room: the tenant's events never reach it.
      const staff = supabaseRealtimeEventBus({
        client: client(jwt(receptionistClaims(a)), lenient),
      });
      const heard: RealtimeEvent[] = [];
      await staff.subscribe(topic, { onEvent: (event) => heard.push(event) });
      const eavesdropper = await rawJoin(client(ANON_KEY, lenient), topic, false);
      expect(eavesdropper.status).toBe('SUBSCRIBED');
      const publisher = supabaseRealtimeEventBus({ client: client(jwt(adminClaims(a)), lenient) });
      await publisher.publish(change(a.tenantId, 'e1', 0, topic));
      await waitUntil(() => heard.length === 1, { timeoutMs: 10_000, description: 'staff event' });
      // A marker sent on the public room after the event: had the event reached the
      // eavesdropper's socket, it would have arrived before the marker.
      const marker = await rawJoin(client(ANON_KEY, lenient), topic, false);
      await marker.channel.send({ type: 'broadcast', event: 'change', payload: 'marker' });
      await waitUntil(() => eavesdropper[RECEIVED].length > 0, {
        timeoutMs: 10_000,
        description: 'the marker',
      });
      expect(eavesdropper[RECEIVED]).toEqual(['marker']);
      await Promise.all([anonBus.close(), staff.close(), publisher.close()]);
    });

    it("a patient cannot join staff topics or another tenant's", async () => {
      const token = jwt(patientClaims(a));
      const patient = supabaseRealtimeEventBus({ client: client(token, lenient, 1000) });
      for (const topic of [
        tenantTopic(a.tenantId),
        queueTopic(a.tenantId, queueA1),
        tenantTopic(b.tenantId),
        queueTopic(b.tenantId, queueB1),
      ]) {
        await expect(patient.subscribe(topic, { onEvent: () => undefined })).rejects.toBeInstanceOf(
          ExternalServiceError,
        );
      }
      // Refused by the policies, not for want of a token: each join carried the patient's.
      const joins = lenient.received.filter(
        (message) => message.event === 'phx_join' && message.payload.access_token === token,
      );
      expect(joins).toHaveLength(4);
      for (const join of joins) expect(join.payload.config).toMatchObject({ private: true });
      await patient.close();
    });

    it('nobody can broadcast forged events without the INSERT policy', async () => {
      const topic = queueTopic(a.tenantId, queueA1);
      // Those who may not join cannot publish: publish joins first.
      for (const token of [ANON_KEY, jwt(patientClaims(a)), jwt(adminClaims(b))]) {
        const forger = supabaseRealtimeEventBus({ client: client(token, lenient, 1000) });
        await expect(forger.publish(change(a.tenantId, 'forged', 9, topic))).rejects.toBeInstanceOf(
          ExternalServiceError,
        );
        await forger.close();
      }

      const listener = await rawJoin(client(jwt(receptionistClaims(a)), lenient), topic, true);
      expect(listener.status).toBe('SUBSCRIBED');
      const admin = supabaseRealtimeEventBus({
        client: client(jwt(adminClaims(a)), lenient, 1000),
      });
      await executor().exec(
        'ALTER POLICY carequeue_topics_broadcast ON realtime.messages WITH CHECK (false)',
      );
      try {
        // Joined (the SELECT policy allows it) but refused by the INSERT policy: dropped, unacknowledged.
        await expect(admin.publish(change(a.tenantId, 'forged', 9, topic))).rejects.toBeInstanceOf(
          ExternalServiceError,
        );
      } finally {
        await executor().exec(
          `ALTER POLICY carequeue_topics_broadcast ON realtime.messages WITH CHECK (
             extension = 'broadcast' AND (SELECT queue.realtime_may_broadcast(realtime.topic())))`,
        );
      }
      await admin.publish(change(a.tenantId, 'real', 1, topic));
      await waitUntil(() => listener[RECEIVED].length > 0, {
        timeoutMs: 10_000,
        description: 'the real event',
      });
      expect(listener[RECEIVED]).toEqual([expect.objectContaining({ entityId: 'real' })]);
      await admin.close();
    });
  });
}
