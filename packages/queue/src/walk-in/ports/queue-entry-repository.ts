import type { ClinicId, QueueEntryId, QueueId, StaffId, TenantId } from '@carequeue/core';
import type { StoredQueueEntry } from '../queue-entry-record.js';
import type { PendingQueueEvent, QueueEvent } from './queue-event.js';

/**
 * What a claim of the head of a line sets on the claimed entry.
 *
 * @example
 * ```ts
 * const claim: QueueClaim = { tenantId, clinicId, queueId, at: '2026-03-02T09:05:00.000Z', counter: 'Desk 2', calledBy: staffId };
 * ```
 */
export interface QueueClaim {
  readonly tenantId: TenantId;
  readonly clinicId: ClinicId;
  readonly queueId: QueueId;
  /** ISO instant from the service's clock. */
  readonly at: string;
  readonly counter?: string;
  readonly calledBy?: StaffId;
}

/**
 * Storage of queue lines, entries and their append-only events. Every method is scoped by
 * tenant. SQL adapters run each call inside the unit of work's transaction.
 *
 * @example
 * ```ts
 * const entries: QueueEntryRepository = memoryQueueEntryRepository();
 * const claimed = await entries.claimNext({ tenantId, clinicId, queueId, at: now, counter: 'Desk 1' });
 * ```
 */
export interface QueueEntryRepository {
  /**
   * Opens the line on first use and takes its next ticket number (1, 2, ...).
   *
   * @throws {@link QueueClinicMismatchError} when the queue was opened at another clinic.
   */
  nextTicket(tenantId: TenantId, clinicId: ClinicId, queueId: QueueId, at: string): Promise<number>;
  /**
   * Locks the existing lines of `queueIds` until the unit of work ends, all in one statement and
   * in queue-id order, so two units that both touch the same lines (two transfers going opposite
   * ways) queue up behind each other instead of deadlocking. Lines not opened yet are skipped.
   */
  lockLines(tenantId: TenantId, queueIds: readonly QueueId[]): Promise<void>;
  /**
   * Stores a new entry.
   *
   * @throws {@link AlreadyQueuedError} when its appointment already holds a live place.
   */
  insert(entry: StoredQueueEntry): Promise<void>;
  get(tenantId: TenantId, id: QueueEntryId): Promise<StoredQueueEntry | undefined>;
  /** Replaces the entry when the stored version is `entry.version - 1`; false otherwise. */
  update(entry: StoredQueueEntry): Promise<boolean>;
  /**
   * Atomically moves the waiting entry with the smallest ordering key (then id) to `called`,
   * skipping entries another caller holds, and returns it; undefined when none is left. Two
   * concurrent claims never return the same entry.
   */
  claimNext(claim: QueueClaim): Promise<StoredQueueEntry | undefined>;
  /** Entries of the line that are waiting, away, called or in service, by ordering key then id. */
  listLive(tenantId: TenantId, queueId: QueueId): Promise<StoredQueueEntry[]>;
  /** How many waiting entries of the line come before `entry` in ordering-key order. */
  countAhead(entry: StoredQueueEntry): Promise<number>;
  /** Entries of the clinic checked in within `[from, to)`, oldest first. */
  listCheckedInBetween(
    tenantId: TenantId,
    clinicId: ClinicId,
    from: string,
    to: string,
  ): Promise<StoredQueueEntry[]>;
  /** Called entries of the line whose call is older than `calledBefore`. */
  listCalledBefore(
    tenantId: TenantId,
    queueId: QueueId,
    calledBefore: string,
  ): Promise<StoredQueueEntry[]>;
  /** Appends events, giving each the next version of its queue, and returns them. */
  appendEvents(events: readonly PendingQueueEvent[]): Promise<QueueEvent[]>;
  /** Events of the line with a version above `afterVersion`, oldest first, at most `limit`. */
  listEvents(
    tenantId: TenantId,
    queueId: QueueId,
    afterVersion: number,
    limit: number,
  ): Promise<QueueEvent[]>;
}
