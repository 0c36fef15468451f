/**
 * Realtime events: what changed, as ids and versions only.
 *
 * @packageDocumentation
 */
import type { QueueEvent } from '../walk-in/index.js';

/**
 * A committed change to publish. Every field is an id, a version, a type or a time: a realtime
 * event never carries a name, a contact detail or any other tagged (PHI) field, because topics
 * reach screens, browsers and every listener of the channel.
 *
 * @example
 * ```ts
 * const change: RealtimeChange = {
 *   topic: queueTopic(tenantId, queueId),
 *   tenantId, clinicId, queueId,
 *   type: 'queue.called',
 *   entityId: entryId,
 *   entityVersion: 3,
 *   occurredAt: '2026-03-02T09:05:00.000Z',
 * };
 * ```
 */
export interface RealtimeChange {
  /** Where it is published: {@link tenantTopic} or {@link queueTopic}. */
  readonly topic: string;
  readonly tenantId: string;
  readonly clinicId?: string | undefined;
  readonly queueId?: string | undefined;
  /** What happened, such as `queue.called` or `booking.cancelled`. */
  readonly type: string;
  /** The changed record's id. */
  readonly entityId: string;
  /** The changed record's version after the change, for idempotent re-fetches. */
  readonly entityVersion: number;
  readonly occurredAt: string;
}

/**
 * A published change with its position in the topic: `sequence` starts at 1 and grows by one per
 * event of the topic, so a subscriber that sees N+2 after N knows it missed one and resyncs.
 *
 * @example
 * ```ts
 * if (event.sequence !== last + 1) await resync();
 * ```
 */
export interface RealtimeEvent extends RealtimeChange {
  readonly sequence: number;
}

/**
 * The topic of every change of a tenant.
 *
 * @example
 * ```ts
 * tenantTopic('0190...'); // 'tenant:0190...'
 * ```
 */
export function tenantTopic(tenantId: string): string {
  return `tenant:${tenantId}`;
}

/**
 * The topic of one queue's changes.
 *
 * @example
 * ```ts
 * queueTopic(tenantId, queueId); // 'queue:<tenant>:<queue>'
 * ```
 */
export function queueTopic(tenantId: string, queueId: string): string {
  return `queue:${tenantId}:${queueId}`;
}

/**
 * The fields of a realtime event but its sequence, copied from `change` one by one so that
 * nothing else the object happens to hold (a name, a phone number) can leave the process with
 * it. Buses that number events elsewhere (a Redis script) send this.
 *
 * @example
 * ```ts
 * const wire = realtimeEventFields({ ...change, guestName: 'x' } as RealtimeChange); // no guestName
 * ```
 */
export function realtimeEventFields(change: RealtimeChange): Omit<RealtimeEvent, 'sequence'> {
  return {
    topic: change.topic,
    tenantId: change.tenantId,
    ...(change.clinicId === undefined ? {} : { clinicId: change.clinicId }),
    ...(change.queueId === undefined ? {} : { queueId: change.queueId }),
    type: change.type,
    entityId: change.entityId,
    entityVersion: change.entityVersion,
    occurredAt: change.occurredAt,
  };
}

/**
 * Copies only the fields a realtime event may carry, so that nothing else an object happens to
 * hold (a name, a phone number) can leave the process with it.
 *
 * @example
 * ```ts
 * const wire = toRealtimeEvent({ ...change, guestName: 'x' } as RealtimeChange, 7); // no guestName
 * ```
 */
export function toRealtimeEvent(change: RealtimeChange, sequence: number): RealtimeEvent {
  return { ...realtimeEventFields(change), sequence };
}

/**
 * Parses a received message into a {@link RealtimeEvent}, or `undefined` when it is not one
 * (another producer on the channel, a truncated payload).
 *
 * @example
 * ```ts
 * const event = parseRealtimeEvent(JSON.parse(message));
 * ```
 */
export function parseRealtimeEvent(value: unknown): RealtimeEvent | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (
    typeof v.topic !== 'string' ||
    typeof v.tenantId !== 'string' ||
    typeof v.type !== 'string' ||
    typeof v.entityId !== 'string' ||
    typeof v.entityVersion !== 'number' ||
    typeof v.occurredAt !== 'string' ||
    typeof v.sequence !== 'number' ||
    (v.clinicId !== undefined && typeof v.clinicId !== 'string') ||
    (v.queueId !== undefined && typeof v.queueId !== 'string')
  ) {
    return undefined;
  }
  return toRealtimeEvent(v as unknown as RealtimeChange, v.sequence);
}

/**
 * The realtime changes of queue events: each goes to its queue's topic and to its tenant's topic.
 *
 * @example
 * ```ts
 * const queue = createQueueService({ ...options, afterCommit: (events) => publishAll(bus, queueRealtimeChanges(events)) });
 * ```
 */
export function queueRealtimeChanges(events: readonly QueueEvent[]): RealtimeChange[] {
  return events.flatMap((event) => {
    const change = {
      tenantId: event.tenantId,
      clinicId: event.clinicId,
      queueId: event.queueId,
      type: `queue.${event.type}`,
      entityId: event.entryId,
      entityVersion: event.entryVersion,
      occurredAt: event.occurredAt,
    };
    return [
      { ...change, topic: queueTopic(event.tenantId, event.queueId) },
      { ...change, topic: tenantTopic(event.tenantId) },
    ];
  });
}
