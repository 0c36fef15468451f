import { asServiceRole, type SqlExecutor } from '@carequeue/core/sql';
import { readTopicSequence } from '../../src/realtime/postgres/event-bus.js';
import type { RealtimeEvent } from '../../src/realtime/realtime-event.js';
import type { TopicSnapshot } from '../../src/realtime/topic-follower.js';

/** What a screen following a queue keeps: each entry's latest known version. */
export interface QueueView {
  readonly versions: Readonly<Record<string, number>>;
}

/** Applies an event by entity version, so replays and stale events change nothing. */
export function applyToView(state: QueueView, event: RealtimeEvent): QueueView {
  return (state.versions[event.entityId] ?? -1) >= event.entityVersion
    ? state
    : { versions: { ...state.versions, [event.entityId]: event.entityVersion } };
}

/** The queue's entries and versions as the database has them. */
export async function entryVersions(
  tx: SqlExecutor,
  tenantId: string,
  queueId: string,
): Promise<Record<string, number>> {
  const { rows } = await tx.query<{ id: string; version: number }>(
    'SELECT id, version FROM queue.queue_entries WHERE tenant_id = $1 AND queue_id = $2',
    [tenantId, queueId],
  );
  return Object.fromEntries(rows.map((row) => [row.id, row.version]));
}

/** A snapshot read with the topic sequence in one transaction, as a server would serve it. */
export function queueSnapshot(
  sql: SqlExecutor,
  tenantId: string,
  queueId: string,
  topic: string,
  sequenceOf?: () => Promise<number>,
): () => Promise<TopicSnapshot<QueueView>> {
  return () =>
    asServiceRole(sql, async (tx) => {
      const sequence =
        sequenceOf === undefined
          ? await readTopicSequence(tx, tenantId, topic)
          : await sequenceOf();
      return { sequence, state: { versions: await entryVersions(tx, tenantId, queueId) } };
    });
}
