import { randomUUID } from 'node:crypto';
import { createFakeClock, ValidationError } from '@carequeue/core';
import { describe, expect, it } from 'vitest';
import type { AuditEvent } from './audit-event.js';
import { createAuditLogService } from './audit-log-service.js';
import type { AuditStore } from './audit-store.js';
import { memoryAuditStore } from './adapters/memory.js';
import { createBufferedAuditWriter } from './buffered-writer.js';
import { AuditWriteFailedError, AuditWriterClosedError } from './errors.js';
import type { AuditSpool, SpoolContents } from './file-spool.js';
import { sampleAuditEvent } from './testing/sample-event.js';

const tenantId = randomUUID();

function event(): AuditEvent {
  return sampleAuditEvent({ tenantId });
}

/** A store whose appends can be held, failed or let through, and that records what it took. */
function controllableStore() {
  const inner = memoryAuditStore();
  const appended: string[][] = [];
  let mode: 'pass' | 'fail' | 'hang' = 'pass';
  let gate: Promise<void> | undefined;
  let openGate: (() => void) | undefined;
  const store: AuditStore = {
    ...inner,
    async append(events) {
      if (mode === 'fail') throw new Error('connection refused');
      if (mode === 'hang') return new Promise<void>(() => undefined);
      if (gate) await gate;
      appended.push(events.map((e) => e.id));
      await inner.append(events);
    },
  };
  return {
    store,
    appended,
    storedIds: async () =>
      (await inner.query({ tenantId, limit: 1000 })).items.map((log) => log.id).sort(),
    setMode(next: 'pass' | 'fail' | 'hang') {
      mode = next;
    },
    hold() {
      gate = new Promise<void>((resolve) => {
        openGate = resolve;
      });
    },
    release() {
      gate = undefined;
      openGate?.();
    },
  };
}

function memorySpool(initial: AuditEvent[] = [], discardedRecords = 0) {
  let records: AuditEvent[][] = initial.length > 0 ? [initial] : [];
  let discarded = discardedRecords;
  let failing = false;
  const spool: AuditSpool & { closed: boolean } = {
    closed: false,
    append(events) {
      if (failing) return Promise.reject(new Error('disk full'));
      records.push([...events]);
      return Promise.resolve();
    },
    load(): Promise<SpoolContents> {
      const contents = { events: records.flat(), discardedRecords: discarded };
      discarded = 0;
      return Promise.resolve(contents);
    },
    clear() {
      records = [];
      return Promise.resolve();
    },
    close() {
      spool.closed = true;
      return Promise.resolve();
    },
  };
  return {
    spool,
    spooledIds: () => records.flat().map((e) => e.id),
    failAppends() {
      failing = true;
    },
  };
}

function track(promise: Promise<void>) {
  const state = { settled: false, error: undefined as unknown };
  promise.then(
    () => {
      state.settled = true;
    },
    (error: unknown) => {
      state.settled = true;
      state.error = error;
    },
  );
  return state;
}

describe('createBufferedAuditWriter', () => {
  it('writes a batch and acknowledges it when the batch size is reached', async () => {
    const { store, appended } = controllableStore();
    const clock = createFakeClock();
    const writer = createBufferedAuditWriter({ store, clock, maxBatchSize: 3 });
    const events = [event(), event(), event()];
    await Promise.all(events.map((e) => writer.write(e)));
    expect(appended).toEqual([events.map((e) => e.id)]);
    expect(writer.pending).toBe(0);
  });

  it('waits for the interval and then writes when fewer events than a batch arrive', async () => {
    const { store, storedIds } = controllableStore();
    const clock = createFakeClock();
    const writer = createBufferedAuditWriter({
      store,
      clock,
      maxBatchSize: 10,
      flushIntervalMs: 50,
    });
    const first = event();
    const acknowledged = track(writer.write(first));
    // Its writer awaits the flush, so the timer keeps the process alive (not a background one).
    expect(clock.pendingTimers({ background: false })).toBe(1);
    await clock.advance(49);
    expect(acknowledged.settled).toBe(false);
    expect(await storedIds()).toEqual([]);
    await clock.advance(1);
    expect(acknowledged).toEqual({ settled: true, error: undefined });
    expect(await storedIds()).toEqual([first.id]);
  });

  it('makes writers wait for room and drops nothing when the buffer is full', async () => {
    const control = controllableStore();
    const clock = createFakeClock();
    const writer = createBufferedAuditWriter({
      store: control.store,
      clock,
      maxBatchSize: 2,
      capacity: 3,
    });
    control.hold();
    const events = Array.from({ length: 7 }, event);
    const writes = events.map((e) => track(writer.write(e)));
    await clock.advance(0);
    expect(writer.pending).toBe(3);
    expect(writes.filter((w) => w.settled)).toHaveLength(0);
    control.release();
    await writer.flush();
    expect(writes.every((w) => w.settled && w.error === undefined)).toBe(true);
    expect(control.appended.flat()).toEqual(events.map((e) => e.id));
    expect(Math.max(...control.appended.map((batch) => batch.length))).toBeLessThanOrEqual(2);
  });

  it('acknowledges from the spool when the store fails, and replays it once the store answers', async () => {
    const control = controllableStore();
    const { spool, spooledIds } = memorySpool();
    const clock = createFakeClock();
    const writer = createBufferedAuditWriter({
      store: control.store,
      spool,
      clock,
      maxBatchSize: 1,
    });
    control.setMode('fail');
    const spooled = event();
    await writer.write(spooled);
    expect(spooledIds()).toEqual([spooled.id]);
    expect(await control.storedIds()).toEqual([]);
    control.setMode('pass');
    const later = event();
    await writer.write(later);
    expect(await control.storedIds()).toEqual([spooled.id, later.id].sort());
    expect(spooledIds()).toEqual([]);
  });

  it('falls back to the spool when the store does not answer within the timeout', async () => {
    const control = controllableStore();
    const { spool, spooledIds } = memorySpool();
    const clock = createFakeClock();
    const writer = createBufferedAuditWriter({
      store: control.store,
      spool,
      clock,
      maxBatchSize: 1,
      storeTimeoutMs: 500,
    });
    control.setMode('hang');
    const slow = event();
    const acknowledged = track(writer.write(slow));
    await clock.advance(499);
    expect(acknowledged.settled).toBe(false);
    await clock.advance(1);
    expect(acknowledged).toEqual({ settled: true, error: undefined });
    expect(spooledIds()).toEqual([slow.id]);
  });

  it('rejects the batch with AuditWriteFailedError when the store fails and there is no spool', async () => {
    const control = controllableStore();
    const writer = createBufferedAuditWriter({
      store: control.store,
      clock: createFakeClock(),
      maxBatchSize: 1,
    });
    control.setMode('fail');
    const failing = sampleAuditEvent({ tenantId, patientId: 'patient-secret-9' });
    const error: unknown = await writer.write(failing).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AuditWriteFailedError);
    expect((error as Error).message).not.toContain('patient-secret-9');
    expect(((error as Error).cause as Error).message).toBe('connection refused');
    expect(writer.pending).toBe(0);
  });

  it('rejects the batch when both the store and the spool fail', async () => {
    const control = controllableStore();
    const { spool, failAppends } = memorySpool();
    const writer = createBufferedAuditWriter({
      store: control.store,
      spool,
      clock: createFakeClock(),
      maxBatchSize: 1,
    });
    control.setMode('fail');
    failAppends();
    const error: unknown = await writer.write(event()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AuditWriteFailedError);
    expect(((error as Error).cause as Error).message).toBe('disk full');
  });

  it('replays a previous process spool into the store once when started twice', async () => {
    const control = controllableStore();
    const left = [event(), event(), event()];
    const { spool, spooledIds } = memorySpool([...left, left[0] as AuditEvent], 1);
    const writer = createBufferedAuditWriter({
      store: control.store,
      spool,
      clock: createFakeClock(),
      maxBatchSize: 2,
    });
    expect(await writer.start()).toEqual({ replayed: 4, discardedRecords: 1, pending: 0 });
    expect(await writer.start()).toEqual({ replayed: 0, discardedRecords: 0, pending: 0 });
    expect(await control.storedIds()).toEqual(left.map((e) => e.id).sort());
    expect(spooledIds()).toEqual([]);
  });

  it('keeps the spool and reports its events as pending when the store fails at start', async () => {
    const control = controllableStore();
    const left = [event()];
    const { spool, spooledIds } = memorySpool(left);
    const writer = createBufferedAuditWriter({
      store: control.store,
      spool,
      clock: createFakeClock(),
    });
    control.setMode('fail');
    expect(await writer.start()).toEqual({ replayed: 0, discardedRecords: 0, pending: 1 });
    expect(spooledIds()).toEqual([left[0]?.id]);
  });

  it('reports an empty replay when it has no spool', async () => {
    const writer = createBufferedAuditWriter({ store: memoryAuditStore() });
    expect(await writer.start()).toEqual({ replayed: 0, discardedRecords: 0, pending: 0 });
  });

  it('flushes buffered events, closes the spool and refuses writes when closed', async () => {
    const control = controllableStore();
    const { spool } = memorySpool();
    const clock = createFakeClock();
    const writer = createBufferedAuditWriter({
      store: control.store,
      spool,
      clock,
      maxBatchSize: 100,
      flushIntervalMs: 60_000,
    });
    const buffered = [event(), event()];
    const writes = buffered.map((e) => track(writer.write(e)));
    await writer.close();
    expect(writes.every((w) => w.settled && w.error === undefined)).toBe(true);
    expect(await control.storedIds()).toEqual(buffered.map((e) => e.id).sort());
    expect(spool.closed).toBe(true);
    expect(clock.pendingTimers()).toBe(0);
    await expect(writer.write(event())).rejects.toBeInstanceOf(AuditWriterClosedError);
  });

  it('throws a ValidationError naming the option when a size or interval is not a positive integer (a RangeError before)', () => {
    for (const [option, value] of [
      ['capacity', 0],
      ['maxBatchSize', 2.5],
      ['flushIntervalMs', Number.POSITIVE_INFINITY],
      ['storeTimeoutMs', 2 ** 31],
    ] as const) {
      let refusal: unknown;
      try {
        createBufferedAuditWriter({ store: memoryAuditStore(), [option]: value });
      } catch (error: unknown) {
        refusal = error;
      }
      expect(refusal, option).toBeInstanceOf(ValidationError);
      expect((refusal as ValidationError).issues.map((issue) => issue.path)).toEqual([
        `options.${option}`,
      ]);
    }
  });

  it('returns from logDataAccess only after the read event is acknowledged', async () => {
    const control = controllableStore();
    const clock = createFakeClock();
    const writer = createBufferedAuditWriter({
      store: control.store,
      clock,
      maxBatchSize: 10,
      flushIntervalMs: 25,
    });
    const audit = createAuditLogService({ store: control.store, clock, readWriter: writer });
    const access = track(audit.logDataAccess(null, 'Patient/p-7', 'read', {}, { tenantId }));
    await clock.advance(24);
    expect(access.settled).toBe(false);
    await clock.advance(1);
    expect(access).toEqual({ settled: true, error: undefined });
    expect(control.appended.flat()).toHaveLength(1);
  });
});
