import type { Actor } from '@carequeue/core';
import type { StoredQueueEntry } from './queue-entry-record.js';
import { serviceTypeOf } from './queue-entry-rules.js';
import type { PendingQueueEvent, QueueEvent, QueueEventType } from './ports/queue-event.js';
import type { WalkInWorkScope } from './ports/walk-in-unit-of-work.js';
import type { QueueServiceSettings } from './queue-service-options.js';
import { queueSummaryCacheKey } from './queue-summary-cache-key.js';
import { recordModification } from '../record-modification.js';

/**
 * One change of one queue entry: the entry before (null for a new entry), after, and the type of
 * the event it appends.
 */
export interface EntryChange {
  readonly before: StoredQueueEntry | null;
  readonly after: StoredQueueEntry;
  readonly type: QueueEventType;
}

/**
 * What a use case does inside the unit of work at the instant `now`; returns the changes it
 * made (none when it found nothing to do).
 */
export type EntryChangeWork = (unit: WalkInWorkScope, now: string) => Promise<EntryChange[]>;

/**
 * Runs entry changes in one unit of work with their audit and queue events, then, once committed,
 * drops the lines' cached summaries, feeds completed services to the service-time tracker and
 * calls the `afterCommit` hook. Returns the changes.
 */
export type RunEntryChanges = (actor: Actor, work: EntryChangeWork) => Promise<EntryChange[]>;

/** The queue event a change appends: ids, statuses and versions only, never PHI. */
export function pendingEventOf(change: EntryChange): PendingQueueEvent {
  return {
    tenantId: change.after.tenantId,
    clinicId: change.after.clinicId,
    queueId: change.after.queueId,
    entryId: change.after.id,
    type: change.type,
    ...(change.before === null ? {} : { fromStatus: change.before.status }),
    toStatus: change.after.status,
    entryVersion: change.after.version,
    occurredAt: change.after.updatedAt,
  };
}

/** The entry changed by a unit of work that makes exactly one change. */
export function onlyChangedEntry(changes: readonly EntryChange[]): StoredQueueEntry {
  return (changes[0] as EntryChange).after;
}

/** The {@link RunEntryChanges} of one queue service. */
export function entryChangeRunner(settings: QueueServiceSettings): RunEntryChanges {
  const { unitOfWork, audit, cache, clock, serviceTimes } = settings;

  async function recordChanges(
    actor: Actor,
    unit: WalkInWorkScope,
    changes: readonly EntryChange[],
  ): Promise<QueueEvent[]> {
    // Audit first: appending events locks the line row until commit, so keep that step last.
    for (const change of changes) {
      const { orderingKey: _beforeKey, ...before } = change.before ?? { orderingKey: 0 };
      const { orderingKey: _afterKey, ...after } = change.after;
      await recordModification(
        audit,
        unit,
        actor.userId,
        `QueueEntry/${change.after.id}`,
        change.before === null ? null : before,
        after,
        {
          tenantId: actor.tenantId,
          patientId: change.after.patientId ?? null,
          action: `queue.${change.type}`,
        },
      );
    }
    const events = await unit.entries.appendEvents(changes.map(pendingEventOf));
    await settings.eventSink?.write(events, unit.transaction);
    return events;
  }

  async function afterChangesCommitted(
    actor: Actor,
    changes: readonly EntryChange[],
    events: readonly QueueEvent[],
  ): Promise<void> {
    const summaryKeys = new Set(
      changes.map((change) => queueSummaryCacheKey(change.after.clinicId, change.after.queueId)),
    );
    for (const key of summaryKeys) await cache.delete(key, { tenant: actor.tenantId });
    for (const change of changes) {
      const { serviceStartedAt, endedAt } = change.after;
      if (change.type === 'completed' && serviceStartedAt !== undefined && endedAt !== undefined) {
        serviceTimes.observe(
          serviceTypeOf(change.after),
          Date.parse(endedAt) - Date.parse(serviceStartedAt),
        );
      }
    }
    if (settings.afterCommit === undefined || events.length === 0) return;
    try {
      await settings.afterCommit(events);
    } catch (error) {
      settings.onHookError?.(error);
    }
  }

  return async (actor, work) => {
    const now = new Date(clock.now()).toISOString();
    const { changes, events } = await unitOfWork.run(actor, async (unit) => {
      const made = await work(unit, now);
      return {
        changes: made,
        events: made.length === 0 ? [] : await recordChanges(actor, unit, made),
      };
    });
    await afterChangesCommitted(actor, changes, events);
    return changes;
  };
}
