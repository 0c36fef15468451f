import { ClinicId, QueueId, TenantId, uuidv7 } from '@carequeue/core';
import { asServiceRole, createPgExecutor } from '@carequeue/core/sql';
import { requirePostgres, useTestDatabase, waitUntil } from '@carequeue/test-harness';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { transactionalEventSink } from '../../src/realtime/event-bus.js';
import type { TransactionalEventBus } from '../../src/realtime/event-bus.js';
import { postgresEventBus } from '../../src/realtime/postgres/event-bus.js';
import { queueTopic } from '../../src/realtime/realtime-event.js';
import { followTopic } from '../../src/realtime/topic-follower.js';
import { applyToView, entryVersions, queueSnapshot } from './realtime-fixture.js';
import { staffActor } from './service-fixtures.js';
import { seedTwoTenants } from './tenant-fixture.js';
import { sqlQueueService } from './walk-in-fixtures.js';
import { QueueConfigError } from '../../src/index.js';

const postgres = await requirePostgres();

describe.skipIf(!postgres.available)('realtime over Postgres LISTEN/NOTIFY', () => {
  const db = useTestDatabase({ poolSize: 6 });
  const buses: TransactionalEventBus[] = [];
  afterAll(async () => {
    for (const bus of buses) await bus.close();
  });

  it('delivers committed queue changes to a subscriber on another instance, never a rolled-back one, and resyncs after a lost connection', async () => {
    const sql = createPgExecutor({ pool: db.pool });
    const { a: t } = await seedTwoTenants(sql);
    const listenerPids: number[] = [];
    const bus = (name: string): TransactionalEventBus => {
      const created = postgresEventBus({
        executor: sql,
        reconnectDelayMs: 1500,
        createListener: () => {
          const client = new pg.Client({ connectionString: db.url, application_name: name });
          client.on('error', () => undefined);
          return {
            connect: async () => {
              await client.connect();
              const { rows } = await client.query<{ pid: number }>(
                'SELECT pg_backend_pid() AS pid',
              );
              listenerPids.push(rows[0]?.pid ?? -1);
            },
            query: (text) => client.query(text),
            on: (event: 'notification' | 'error' | 'end', listener: (arg: never) => void) =>
              client.on(event as 'notification', listener as never),
            end: () => client.end(),
          };
        },
      });
      buses.push(created);
      return created;
    };
    const publisher = bus('instance-a');
    const subscriberBus = bus('instance-b');
    const queueId = QueueId.parse(uuidv7());
    const clinicId = ClinicId.parse(t.clinicOne);
    const topic = queueTopic(t.tenantId, queueId);
    const desk = staffActor(TenantId.parse(t.tenantId), ['receptionist'], [clinicId]);
    const instanceA = sqlQueueService(sql, { eventSink: transactionalEventSink(publisher) });
    const failingA = sqlQueueService(sql, {
      eventSink: {
        async write(events, transaction) {
          await transactionalEventSink(publisher).write(events, transaction);
          throw new Error('the change fails after publishing');
        },
      },
    });

    const follower = await followTopic({
      bus: subscriberBus,
      topic,
      loadSnapshot: queueSnapshot(sql, t.tenantId, queueId, topic),
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
    const second = await instanceA.checkInWalkIn(desk, {
      clinicId,
      queueId,
      guestName: 'Guest two',
    });
    await waitUntil(() => follower.sequence() === 2, {
      timeoutMs: 10_000,
      description: 'two events',
    });
    expect(follower.state()?.versions).toEqual({ [first.id]: 0, [second.id]: 0 });

    await expect(
      failingA.checkInWalkIn(desk, { clinicId, queueId, guestName: 'Rolled back' }),
    ).rejects.toThrow('the change fails after publishing');
    await instanceA.callNext(desk, { clinicId, queueId, counter: 'Room 1' });
    await waitUntil(() => follower.sequence() === 3, {
      timeoutMs: 10_000,
      description: 'the call',
    });
    expect(follower.resyncs()).toBe(1);
    expect(Object.keys(follower.state()?.versions ?? {})).toHaveLength(2);

    // Instance B loses its listener connection and misses what A commits meanwhile.
    const [subscriberPid] = listenerPids;
    await sql.query('SELECT pg_terminate_backend($1)', [subscriberPid]);
    const third = await instanceA.checkInWalkIn(desk, {
      clinicId,
      queueId,
      guestName: 'Guest three',
    });
    await instanceA.callNext(desk, { clinicId, queueId, counter: 'Room 2' });

    await waitUntil(() => follower.resyncs() >= 2 && follower.sequence() === 5, {
      timeoutMs: 20_000,
      description: 'the resync after reconnecting',
    });
    const truth = await asServiceRole(sql, (tx) => entryVersions(tx, t.tenantId, queueId));
    expect(follower.state()?.versions).toEqual(truth);
    expect(truth[third.id]).toBe(0);
    expect(await subscriberBus.currentSequence(t.tenantId, topic)).toBe(5);
    await follower.stop();
  });

  it('rejects a channel name that is not an identifier with a QueueConfigError (was a raw TypeError)', () => {
    const sql = createPgExecutor({ pool: db.pool });
    expect(() =>
      postgresEventBus({
        executor: sql,
        channel: 'bad channel;',
        createListener: () => new pg.Client(),
      }),
    ).toThrow(QueueConfigError);
  });
});
