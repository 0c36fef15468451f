import { systemClock, type Clock, type ErrorIssue, type TimerHandle } from '@carequeue/core';
import {
  auditEventIssues,
  checkArguments,
  clockIssues,
  integerIssues,
  portIssues,
  storeIssues,
} from './argument-checks.js';
import type { AuditEvent } from './audit-event.js';
import type { AuditEventWriter } from './audit-log-service.js';
import type { AuditStore } from './audit-store.js';
import { AuditWriteFailedError, AuditWriterClosedError } from './errors.js';
import type { AuditSpool } from './file-spool.js';
import { checkFactoryOptions, optionsIssues } from './factory-options.js';

/**
 * Options of {@link createBufferedAuditWriter}.
 *
 * @example
 * ```ts
 * createBufferedAuditWriter({ store, spool, maxBatchSize: 500, flushIntervalMs: 20 });
 * ```
 */
export interface BufferedAuditWriterOptions {
  readonly store: AuditStore;
  /** Where a batch goes when the store fails or is too slow; without one such writes reject. */
  readonly spool?: AuditSpool;
  /** @default systemClock */
  readonly clock?: Clock;
  /** A batch is written as soon as this many events wait. @default 500 */
  readonly maxBatchSize?: number;
  /** A smaller batch is written this long after its first event arrived. @default 20 */
  readonly flushIntervalMs?: number;
  /**
   * Events accepted and not yet acknowledged, at most; further writers wait for room.
   *
   * @default 10000
   */
  readonly capacity?: number;
  /** A store append slower than this goes to the spool instead. @default 2000 */
  readonly storeTimeoutMs?: number;
}

/**
 * What {@link BufferedAuditWriter.start} found in the spool.
 *
 * @example
 * ```ts
 * const { replayed, discardedRecords, pending } = await writer.start();
 * ```
 */
export interface SpoolReplay {
  /** Events moved from the spool into the store. */
  readonly replayed: number;
  /** Spool records ignored as torn or corrupt (never acknowledged to a caller). */
  readonly discardedRecords: number;
  /** Events left in the spool because the store failed; retried after the next store write. */
  readonly pending: number;
}

/**
 * A crash-safe buffered {@link AuditEventWriter} for high-volume read events.
 *
 * @example
 * ```ts
 * const audit = createAuditLogService({ store, readWriter: writer });
 * ```
 */
export interface BufferedAuditWriter extends AuditEventWriter {
  /**
   * Resolves once the event is durable, in the store or in the spool; waits for room when the
   * buffer is full (events are never dropped).
   *
   * @throws {AuditWriterClosedError} after `close()`
   * @throws {AuditWriteFailedError} when neither the store nor the spool took the event
   */
  write(event: AuditEvent): Promise<void>;
  /** Replays events a previous process left in the spool into the store. Call it on start. */
  start(): Promise<SpoolReplay>;
  /** Writes every buffered event now and resolves when they are acknowledged or failed. */
  flush(): Promise<void>;
  /** Flushes, refuses further writes and releases the spool. */
  close(): Promise<void>;
  /** Events accepted and not yet acknowledged. */
  readonly pending: number;
}

interface Entry {
  readonly event: AuditEvent;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

const STORE_TIMED_OUT = Symbol('store timed out');

/**
 * Creates a {@link BufferedAuditWriter}: events are batched (flushed on size or after
 * `flushIntervalMs` of clock time), appended to the store, and acknowledged once durable. When
 * the store fails or times out the batch is fsync'ed to the spool and acknowledged; the spool is
 * replayed into the store after the next successful store write and by `start()` after a crash.
 * Store appends are idempotent per event id, so replaying an event twice stores it once.
 *
 * @throws {AuditConfigError} when the options are not an object or hold an option it does not
 *   know, `store`, `spool` or `clock` is not one, or a size or interval option is not a positive
 *   integer within its bound (intervals at most 2^31-1 ms, the longest timer Node runs; a longer
 *   one would fire at once)
 * @example
 * ```ts
 * import { createAuditLogService, createBufferedAuditWriter, fileAuditSpool } from '@carequeue/audit';
 *
 * const writer = createBufferedAuditWriter({ store, spool: fileAuditSpool({ path: spoolPath }) });
 * await writer.start();
 * const audit = createAuditLogService({ store, readWriter: writer });
 * await audit.logDataAccess(userId, `Patient/${patientId}`, 'read'); // resolves once durable
 * process.on('SIGTERM', () => void writer.close());
 * ```
 */
export function createBufferedAuditWriter(
  options: BufferedAuditWriterOptions,
): BufferedAuditWriter {
  checkFactoryOptions(
    'createBufferedAuditWriter',
    optionsIssues(options, WRITER_OPTIONS, writerOptionsIssues),
  );
  const { store, spool } = options;
  const clock = options.clock ?? systemClock;
  const maxBatchSize = options.maxBatchSize ?? 500;
  const flushIntervalMs = options.flushIntervalMs ?? 20;
  const capacity = options.capacity ?? 10_000;
  const storeTimeoutMs = options.storeTimeoutMs ?? 2_000;

  const buffer: Entry[] = [];
  const roomWaiters: (() => void)[] = [];
  let inFlight = 0;
  let reserved = 0;
  let timer: TimerHandle | undefined;
  let closed = false;
  let spoolHasEvents = false;
  let drainScheduled = false;
  let tail: Promise<void> = Promise.resolve();

  function exclusive<T>(run: () => Promise<T>): Promise<T> {
    const result = tail.then(run);
    tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  function held(): number {
    return buffer.length + inFlight + reserved;
  }

  function wakeRoomWaiters(): void {
    while (roomWaiters.length > 0 && held() < capacity) {
      // The slot is reserved now, so a writer arriving before the woken one resumes cannot take it.
      reserved += 1;
      roomWaiters.shift()?.();
    }
  }

  async function appendToStore(batch: readonly AuditEvent[]): Promise<void> {
    let handle: TimerHandle | undefined;
    const timeout = new Promise<typeof STORE_TIMED_OUT>((resolve) => {
      handle = clock.setTimeout(() => resolve(STORE_TIMED_OUT), storeTimeoutMs);
    });
    try {
      const appended = store.append(batch);
      // An abandoned append that fails later must not surface as an unhandled rejection.
      appended.catch(() => undefined);
      const outcome = await Promise.race([appended, timeout]);
      if (outcome === STORE_TIMED_OUT) throw new AuditWriteFailedError();
    } finally {
      if (handle) clock.clearTimeout(handle);
    }
  }

  async function replaySpool(): Promise<SpoolReplay> {
    if (!spool) return { replayed: 0, discardedRecords: 0, pending: 0 };
    const { events, discardedRecords } = await spool.load();
    try {
      for (let start = 0; start < events.length; start += maxBatchSize) {
        await appendToStore(events.slice(start, start + maxBatchSize));
      }
    } catch {
      spoolHasEvents = events.length > 0;
      return { replayed: 0, discardedRecords, pending: events.length };
    }
    if (events.length > 0 || discardedRecords > 0) await spool.clear();
    spoolHasEvents = false;
    return { replayed: events.length, discardedRecords, pending: 0 };
  }

  async function persist(batch: readonly AuditEvent[]): Promise<void> {
    try {
      await appendToStore(batch);
    } catch (storeError: unknown) {
      if (!spool) throw new AuditWriteFailedError({ cause: storeError });
      try {
        await spool.append(batch);
      } catch (spoolError: unknown) {
        throw new AuditWriteFailedError({ cause: spoolError });
      }
      spoolHasEvents = true;
      return;
    }
    if (spoolHasEvents) {
      // The store answers again: move what the outage left in the spool. A failure here is
      // not the caller's; those events stay durable in the spool for the next attempt.
      await replaySpool().catch(() => undefined);
    }
  }

  async function drain(): Promise<void> {
    drainScheduled = false;
    while (buffer.length > 0) {
      if (timer) {
        clock.clearTimeout(timer);
        timer = undefined;
      }
      const batch = buffer.splice(0, maxBatchSize);
      inFlight += batch.length;
      try {
        await persist(batch.map((entry) => entry.event));
        for (const entry of batch) entry.resolve();
      } catch (error: unknown) {
        for (const entry of batch) entry.reject(error);
      } finally {
        inFlight -= batch.length;
        wakeRoomWaiters();
      }
    }
  }

  function scheduleDrain(): Promise<void> {
    if (drainScheduled) return tail;
    drainScheduled = true;
    return exclusive(drain);
  }

  // The writers of the batch await this flush, so the timer keeps the process alive: as a
  // background timer it would let a process exit with their events neither stored nor spooled.
  function armTimer(): void {
    if (timer) return;
    timer = clock.setTimeout(() => {
      timer = undefined;
      void scheduleDrain();
    }, flushIntervalMs);
  }

  async function write(event: AuditEvent): Promise<void> {
    // Checked before it is buffered: a bad event would otherwise fail its whole batch later.
    checkArguments('write', auditEventIssues(event, 'event'));
    if (closed) throw new AuditWriterClosedError();
    if (held() >= capacity || roomWaiters.length > 0) {
      await new Promise<void>((resolve) => roomWaiters.push(resolve));
      reserved -= 1;
    }
    const acknowledged = new Promise<void>((resolve, reject) => {
      buffer.push({ event, resolve, reject });
    });
    if (buffer.length >= maxBatchSize) void scheduleDrain();
    else armTimer();
    return acknowledged;
  }

  async function flush(): Promise<void> {
    while (held() > 0 || roomWaiters.length > 0) {
      await scheduleDrain();
      await tail;
    }
  }

  return {
    write,
    start: () => exclusive(replaySpool),
    flush,
    async close() {
      closed = true;
      await flush();
      if (timer) clock.clearTimeout(timer);
      timer = undefined;
      await spool?.close();
    },
    get pending() {
      return held();
    },
  };
}

// The longest delay Node's timers honour; a longer one fires after 1 ms.
const MAX_TIMER_MS = 2 ** 31 - 1;

const WRITER_OPTIONS = [
  'store',
  'spool',
  'clock',
  'maxBatchSize',
  'flushIntervalMs',
  'capacity',
  'storeTimeoutMs',
];

function writerOptionsIssues(options: Record<string, unknown>): ErrorIssue[] {
  const bounded = (name: string, max: number): ErrorIssue[] =>
    integerIssues(options[name], `options.${name}`, { min: 1, max, optional: true });
  return [
    ...storeIssues(options['store'], 'options.store'),
    ...portIssues(options['spool'], 'options.spool', 'an AuditSpool', SPOOL_METHODS, {
      optional: true,
    }),
    ...clockIssues(options['clock'], 'options.clock'),
    ...bounded('maxBatchSize', 10_000),
    ...bounded('flushIntervalMs', MAX_TIMER_MS),
    ...bounded('capacity', 10_000_000),
    ...bounded('storeTimeoutMs', MAX_TIMER_MS),
  ];
}

const SPOOL_METHODS = ['append', 'load', 'clear', 'close'];
