import { ClinicId, QueueId, TenantId, uuidv7 } from '@carequeue/core';
import { asServiceRole, createPgExecutor } from '@carequeue/core/sql';
import {
  requirePostgres,
  requireRedis,
  useTestDatabase,
  useTestRedis,
  waitUntil,
} from '@carequeue/test-harness';
import { describe, expect, it } from 'vitest';
import { publishAll } from '../../src/realtime/event-bus.js';
import {
  queueRealtimeChanges,
  queueTopic,
  type RealtimeEvent,
} from '../../src/realtime/realtime-event.js';
import { redisEventBus } from '../../src/realtime/redis/event-bus.js';
import { followTopic } from '../../src/realtime/topic-follower.js';
import { applyToView, entryVersions, queueSnapshot } from './realtime-fixture.js';
import { staffActor } from './service-fixtures.js';
import { seedTwoTenants } from './tenant-fixture.js';
import { sqlQueueService } from './walk-in-fixtures.js';

const postgres = await requirePostgres();
const redis = await requireRedis();

describe.skipIf(!postgres.available || !redis.available)('realtime over Redis pub/sub', () => {
  const db = useTestDatabase({ poolSize: 4 });
  const testRedis = useTestRedis();

  it('publishes only ids, versions, the type and the time, whatever the change object holds', async () => {
    const prefix = testRedis.key('rt-fields:');
    const bus = redisEventBus({
      publisher: testRedis.client(),
      subscriber: testRedis.client(),
      prefix,
    });
    const tenantId = uuidv7();
    const topic = queueTopic(tenantId, uuidv7());
    const received: RealtimeEvent[] = [];
    await bus.subscribe(topic, { onEvent: (event) => received.push(event) });
    const change = {
      topic,
      tenantId,
      type: 'queue.called',
      entityId: uuidv7(),
      entityVersion: 2,
      occurredAt: '2026-03-02T09:00:00.000Z',
    };
    const leaky = { ...change, guestName: 'Pat Example', phone: '+14155550100' };
    const published = await bus.publish(leaky);
    await waitUntil(() => received.length === 1, { description: 'the event to arrive' });
    expect(published).toEqual({ ...change, sequence: 1 });
    expect(received).toEqual([{ ...change, sequence: 1 }]);
  });

  it('delivers changes committed on one instance to a subscriber on another, and resyncs after the subscriber reconnects', async () => {
    const sql = createPgExecutor({ pool: db.pool });
    const { a: t } = await seedTwoTenants(sql);
    const prefix = testRedis.key('rt:');
    const publisherBus = redisEventBus({
      publisher: testRedis.client(),
      subscriber: testRedis.client(),
      prefix,
    });
    const subscriberConnection = testRedis.client();
    // Its id, taken before it enters subscriber mode, so the test kills this connection only.
    const subscriberId = Number(await subscriberConnection.client('ID'));
    const subscriberBus = redisEventBus({
      publisher: testRedis.client(),
      subscriber: subscriberConnection,
      prefix,
    });
    const queueId = QueueId.parse(uuidv7());
    const clinicId = ClinicId.parse(t.clinicOne);
    const topic = queueTopic(t.tenantId, queueId);
    const desk = staffActor(TenantId.parse(t.tenantId), ['receptionist'], [clinicId]);
    const published: RealtimeEvent[] = [];
    const instanceA = sqlQueueService(sql, {
      afterCommit: async (events) => {
        published.push(...(await publishAll(publisherBus, queueRealtimeChanges(events))));
      },
    });

    const follower = await followTopic({
      bus: subscriberBus,
      topic,
      loadSnapshot: queueSnapshot(sql, t.tenantId, queueId, topic, () =>
        subscriberBus.currentSequence(t.tenantId, topic),
      ),
      apply: applyToView,
    });
    await waitUntil(() => follower.resyncs() === 1, {
      timeoutMs: 10_000,
      description: 'first snapshot',
    });

    const first = await instanceA.checkInWalkIn(desk, {
      clinicId,
      queueId,
      guestName: 'Guest one',
    });
    await instanceA.checkInWalkIn(desk, { clinicId, queueId, guestName: 'Guest two' });
    await instanceA.callNext(desk, { clinicId, queueId, counter: 'Room 1' });
    await waitUntil(() => follower.sequence() === 3, {
      timeoutMs: 10_000,
      description: 'three events',
    });
    expect(follower.state()?.versions[first.id]).toBe(1);
    expect(published.filter((event) => event.topic === topic).map((e) => e.sequence)).toEqual([
      1, 2, 3,
    ]);
    expect(Object.keys(published[0] ?? {})).not.toContain('guestName');

    // Drop B's subscriber connection; ioredis reconnects and resubscribes, the follower resyncs.
    expect(await testRedis.client().client('KILL', 'ID', String(subscriberId))).toBe(1);
    await instanceA.checkInWalkIn(desk, { clinicId, queueId, guestName: 'Guest three' });
    await instanceA.callNext(desk, { clinicId, queueId, counter: 'Room 2' });

    await waitUntil(() => follower.resyncs() >= 2 && follower.sequence() === 5, {
      timeoutMs: 20_000,
      description: 'the resync after the subscriber reconnected',
    });
    const truth = await asServiceRole(sql, (tx) => entryVersions(tx, t.tenantId, queueId));
    expect(follower.state()?.versions).toEqual(truth);
    await follower.stop();
    await subscriberBus.close();
    await publisherBus.close();
  });
});
