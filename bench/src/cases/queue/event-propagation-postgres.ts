import { randomUUID } from 'node:crypto';
import { auditMigrations } from '@carequeue/audit/postgres';
import { uuidv7 } from '@carequeue/core';
import { asServiceRole, coreMigrations, createPgExecutor, migrate } from '@carequeue/core/sql';
import {
  queueTopic,
  type EventBus,
  type RealtimeChange,
  type TransactionalEventBus,
} from '@carequeue/queue';
import { postgresEventBus, queueMigrations } from '@carequeue/queue/postgres';
import pg from 'pg';
import { defineCase } from '../../case-definition.js';

/** Resolves a promise per sequence number when a subscriber receives that event. */
export interface ArrivalTracker {
  arrived(sequence: number): void;
  /** Resolves once `sequence` has arrived; rejects after 5 s. */
  waitFor(sequence: number): Promise<void>;
}

/** A tracker of arrivals, shared with the Redis case. */
export function arrivalTracker(): ArrivalTracker {
  const seen = new Set<number>();
  const waiting = new Map<number, () => void>();
  return {
    arrived(sequence) {
      seen.add(sequence);
      waiting.get(sequence)?.();
      waiting.delete(sequence);
    },
    waitFor(sequence) {
      if (seen.delete(sequence)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(sequence);
          reject(new Error(`event ${String(sequence)} did not arrive in 5 s`));
        }, 5_000);
        waiting.set(sequence, () => {
          clearTimeout(timer);
          seen.delete(sequence);
          resolve();
        });
      });
    },
  };
}

/** A `queue.called` change on a fresh queue of `tenantId`, shared with the Redis case. */
export function calledChange(tenantId: string): RealtimeChange {
  const queueId = uuidv7();
  return {
    topic: queueTopic(tenantId, queueId),
    tenantId,
    queueId,
    type: 'queue.called',
    entityId: uuidv7(),
    entityVersion: 1,
    occurredAt: new Date().toISOString(),
  };
}

/**
 * Publishes `change` `count` times, one at a time, and returns the ms from each publish call
 * until the subscriber has that event; shared with the Redis case.
 */
export async function propagationSamples(
  publisher: EventBus,
  arrivals: ArrivalTracker,
  change: RealtimeChange,
  count: number,
): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const began = performance.now();
    const event = await publisher.publish(change);
    await arrivals.waitFor(event.sequence);
    samples.push(performance.now() - began);
  }
  return samples;
}

interface PostgresPropagationState {
  readonly publisher: TransactionalEventBus;
  readonly subscriber: TransactionalEventBus;
  readonly arrivals: ArrivalTracker;
  readonly change: RealtimeChange;
  readonly close: () => Promise<void>;
}

async function createDatabase(
  adminUrl: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `cq_bench_events_${randomUUID().replaceAll('-', '')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

export default defineCase({
  id: 'queue.event-propagation.postgres',
  kind: 'samples',
  unit: 'ms',
  better: 'lower',
  target: 50,
  peerName: null,
  notes:
    'two bus instances on one Postgres 15 database; instance A commits a transaction that takes ' +
    'the next topic sequence (upsert on queue.realtime_topics) and calls pg_notify, instance B ' +
    'listens on its own connection; a sample is the time from the start of the publishing ' +
    'transaction until B has the event with that sequence; 200 samples per round',
  rounds: 4,
  setup: async ({ services }): Promise<PostgresPropagationState> => {
    const database = await createDatabase(services.postgres);
    const pool = new pg.Pool({ connectionString: database.url, max: 4 });
    // Dropping the database at teardown ends idle connections; that is expected, not a crash.
    pool.on('error', () => undefined);
    const executor = createPgExecutor({ pool });
    await executor.exec('CREATE EXTENSION IF NOT EXISTS btree_gist;');
    await migrate(executor, [coreMigrations, auditMigrations, queueMigrations]);
    const tenantId = uuidv7();
    await asServiceRole(executor, (tx) =>
      tx.query('INSERT INTO queue.tenants (tenant_id, name, created_at) VALUES ($1, $2, now())', [
        tenantId,
        'Bench',
      ]),
    );
    const listener = () => {
      const client = new pg.Client({ connectionString: database.url });
      client.on('error', () => undefined);
      return client;
    };
    const publisher = postgresEventBus({ executor, createListener: listener });
    const subscriber = postgresEventBus({ executor, createListener: listener });
    const change = calledChange(tenantId);
    const arrivals = arrivalTracker();
    await subscriber.subscribe(change.topic, {
      onEvent: (event) => arrivals.arrived(event.sequence),
    });
    return {
      publisher,
      subscriber,
      arrivals,
      change,
      async close() {
        await subscriber.close();
        await publisher.close();
        await pool.end();
        await database.drop();
      },
    };
  },
  teardown: (state) => state.close(),
  ours: (state, round) =>
    propagationSamples(state.publisher, state.arrivals, state.change, round.smoke ? 5 : 200),
});
