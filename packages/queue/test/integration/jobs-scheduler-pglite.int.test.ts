import { randomBytes } from 'node:crypto';
import { createFakeClock, ValidationError, type FakeClock } from '@carequeue/core';
import { createFieldEncryptor, keyringFromConfig } from '@carequeue/core/crypto';
import {
  asServiceRole,
  createPgliteExecutor,
  withClaims,
  type SqlExecutor,
} from '@carequeue/core/sql';
import { memoryDeadLetterStore, createDeadLetterQueue } from '@carequeue/resilience';
import { useTestPglite } from '@carequeue/test-harness';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { JobHandler } from '../../src/jobs/ports/job-scheduler.js';
import { createJobScheduler } from '../../src/jobs/postgres/job-scheduler.js';
import { NOTIFICATION_JOBS } from '../../src/jobs/notification-jobs.js';
import { bookingNotificationJob } from '../../src/jobs/postgres/notification-jobs.js';
import { createNotificationOutbox } from '../../src/notifications/postgres/notification-outbox.js';
import { calledSms } from './outbox-fixture.js';
import { patientClaims, seedTwoTenants, type SeededTenant } from './tenant-fixture.js';

const DAY = 86_400_000;

interface JobRow {
  status: string;
  attempts: number;
  run_at: Date;
  completed_at: Date | null;
  last_error_code: string | null;
}

async function job(sql: SqlExecutor, uniqueKey: string): Promise<JobRow | undefined> {
  const { rows } = await asServiceRole(sql, (tx) =>
    tx.query<JobRow>(
      'SELECT status, attempts, run_at, completed_at, last_error_code FROM queue.jobs WHERE unique_key = $1',
      [uniqueKey],
    ),
  );
  return rows[0];
}

async function outboxRows(
  sql: SqlExecutor,
): Promise<{ kind: string; dedupe_key: string; created_at: Date }[]> {
  const { rows } = await asServiceRole(sql, (tx) =>
    tx.query<{ kind: string; dedupe_key: string; created_at: Date }>(
      'SELECT kind, dedupe_key, created_at FROM queue.notification_outbox ORDER BY created_at',
    ),
  );
  return rows;
}

describe('job scheduler on PGlite', () => {
  const pglite = useTestPglite();
  let sql: SqlExecutor;
  let t: SeededTenant;
  let clock: FakeClock;
  const encryptor = createFieldEncryptor({
    keys: keyringFromConfig({ current: 'k1', keys: { k1: randomBytes(32).toString('base64') } }),
  });

  beforeAll(async () => {
    sql = createPgliteExecutor(pglite.db);
    ({ a: t } = await seedTwoTenants(sql));
    await asServiceRole(sql, (tx) =>
      tx.query("UPDATE queue.patients SET phone = '+14155550100' WHERE tenant_id = $1", [
        t.tenantId,
      ]),
    );
  });

  beforeEach(async () => {
    await sql.exec('TRUNCATE queue.jobs, queue.notification_outbox');
    clock = createFakeClock(Date.UTC(2026, 2, 2, 9));
  });

  it('fires a scheduled reminder once, at its time, after the scheduler restarted', async () => {
    const outbox = createNotificationOutbox({ encryptor, clock });
    const handlers = { [NOTIFICATION_JOBS.bookingReminder]: bookingNotificationJob({ outbox }) };
    const { rows } = await asServiceRole(sql, (tx) =>
      tx.query<{ id: string; starts_at: Date }>(
        "SELECT id, starts_at FROM queue.appointments WHERE tenant_id = $1 AND clinic_id = $2 AND status = 'booked'",
        [t.tenantId, t.clinicOne],
      ),
    );
    const appointment = rows[0] as { id: string; starts_at: Date };
    const remindAt = new Date(appointment.starts_at).getTime() - DAY;
    const first = createJobScheduler({ executor: sql, handlers, clock });
    await withClaims(sql, patientClaims(t), (tx) =>
      first.schedule(tx, {
        tenantId: t.tenantId,
        kind: NOTIFICATION_JOBS.bookingReminder,
        uniqueKey: `booking.reminder:${appointment.id}`,
        runAt: remindAt,
        payload: { appointmentId: appointment.id },
      }),
    );
    first.start();
    await clock.advance(remindAt - clock.now() - 60_000);
    expect(await first.runDue()).toEqual({ succeeded: 0, retried: 0, dead: 0 });
    await first.stop();

    const second = createJobScheduler({ executor: sql, handlers, clock });
    await clock.advance(59_999);
    const early = await second.runDue();
    await clock.advance(1);
    const due = await second.runDue();
    await clock.advance(DAY);
    const later = await second.runDue();

    expect(early.succeeded).toBe(0);
    expect(due.succeeded).toBe(1);
    expect(later.succeeded).toBe(0);
    const reminders = await outboxRows(sql);
    expect(reminders).toHaveLength(1);
    expect(reminders[0]?.kind).toBe('booking.reminder');
    expect(new Date(reminders[0]?.created_at as Date).getTime()).toBe(remindAt);
    const row = await job(sql, `booking.reminder:${appointment.id}`);
    expect(row?.status).toBe('done');
    expect(new Date(row?.completed_at as Date).getTime()).toBe(remindAt);
  });

  it('skips a reminder for an appointment cancelled in the meantime', async () => {
    const outbox = createNotificationOutbox({ encryptor, clock });
    const scheduler = createJobScheduler({
      executor: sql,
      handlers: { [NOTIFICATION_JOBS.bookingReminder]: bookingNotificationJob({ outbox }) },
      clock,
    });
    const { rows } = await asServiceRole(sql, (tx) =>
      tx.query<{ id: string }>(
        "INSERT INTO queue.appointments (id, tenant_id, clinic_id, patient_id, staff_id, service_type_id, status, starts_at, ends_at, created_at, updated_at, version) SELECT gen_random_uuid(), tenant_id, clinic_id, patient_id, staff_id, service_type_id, 'cancelled', starts_at + interval '1 day', ends_at + interval '1 day', created_at, updated_at, 0 FROM queue.appointments WHERE tenant_id = $1 AND clinic_id = $2 LIMIT 1 RETURNING id",
        [t.tenantId, t.clinicOne],
      ),
    );
    await asServiceRole(sql, (tx) =>
      scheduler.schedule(tx, {
        tenantId: t.tenantId,
        kind: NOTIFICATION_JOBS.bookingReminder,
        uniqueKey: 'reminder:cancelled',
        runAt: clock.now(),
        payload: { appointmentId: rows[0]?.id ?? '' },
      }),
    );

    expect((await scheduler.runDue()).succeeded).toBe(1);
    expect(await outboxRows(sql)).toHaveLength(0);
  });

  it('retries a failing job with backoff, parks it as dead after its attempts, and runs it again on retryDead', async () => {
    let failing = true;
    const runs: number[] = [];
    const flaky: JobHandler = (_job, { now }) => {
      runs.push(now);
      return failing
        ? Promise.reject(new ValidationError('the handler is misconfigured'))
        : Promise.resolve();
    };
    const deadLetters = createDeadLetterQueue({ store: memoryDeadLetterStore(), clock });
    const scheduler = createJobScheduler({
      executor: sql,
      handlers: { flaky },
      clock,
      deadLetters,
      retryBaseDelayMs: 1000,
      random: () => 0.5,
    });
    await asServiceRole(sql, (tx) =>
      scheduler.schedule(tx, {
        tenantId: t.tenantId,
        kind: 'flaky',
        uniqueKey: 'flaky:1',
        runAt: clock.now(),
        maxAttempts: 3,
      }),
    );

    expect(await scheduler.runDue()).toEqual({ succeeded: 0, retried: 1, dead: 0 });
    expect(new Date((await job(sql, 'flaky:1'))?.run_at as Date).getTime()).toBe(clock.now() + 500);
    await clock.advance(499);
    expect((await scheduler.runDue()).retried).toBe(0);
    await clock.advance(1);
    expect((await scheduler.runDue()).retried).toBe(1);
    await clock.advance(1000);
    expect(await scheduler.runDue()).toEqual({ succeeded: 0, retried: 0, dead: 1 });
    expect(await job(sql, 'flaky:1')).toMatchObject({
      status: 'dead',
      attempts: 3,
      last_error_code: 'VALIDATION_FAILED',
    });
    const letters = await deadLetters.list({ kind: 'queue.job.flaky' });
    expect(letters.letters).toHaveLength(1);

    failing = false;
    expect(await scheduler.retryDead('flaky')).toBe(1);
    expect((await scheduler.runDue()).succeeded).toBe(1);
    expect(runs).toHaveLength(4);
    expect((await job(sql, 'flaky:1'))?.status).toBe('done');
  });

  it("rolls a failed handler's writes back with it", async () => {
    const outbox = createNotificationOutbox({ encryptor, clock });
    const scheduler = createJobScheduler({
      executor: sql,
      handlers: {
        partial: async (_job, { tx }) => {
          await outbox.enqueue(tx, calledSms(t, 'X-1'));
          throw new Error('failed after writing');
        },
      },
      clock,
    });
    await asServiceRole(sql, (tx) =>
      scheduler.schedule(tx, {
        tenantId: t.tenantId,
        kind: 'partial',
        uniqueKey: 'p:1',
        runAt: clock.now(),
      }),
    );

    expect((await scheduler.runDue()).retried).toBe(1);
    expect(await outboxRows(sql)).toHaveLength(0);
    expect((await job(sql, 'p:1'))?.last_error_code).toBe('UNEXPECTED_ERROR');
  });

  it('drops a duplicate unique key, cancels pending jobs, and rejects bad input', async () => {
    const scheduler = createJobScheduler({
      executor: sql,
      handlers: { noop: () => Promise.resolve() },
      clock,
    });
    const schedule = (uniqueKey: string, maxAttempts?: number) =>
      asServiceRole(sql, (tx) =>
        scheduler.schedule(tx, {
          tenantId: t.tenantId,
          kind: 'noop',
          uniqueKey,
          runAt: clock.now() + 1000,
          ...(maxAttempts === undefined ? {} : { maxAttempts }),
        }),
      );

    expect(await schedule('k:1')).toEqual(expect.any(String));
    expect(await schedule('k:1')).toBeUndefined();
    await expect(schedule('')).rejects.toBeInstanceOf(ValidationError);
    await expect(schedule('k:2', 0)).rejects.toBeInstanceOf(ValidationError);
    expect(await scheduler.cancel(t.tenantId, 'k:1')).toBe(true);
    expect(await scheduler.cancel(t.tenantId, 'k:1')).toBe(false);
    await clock.advance(1000);
    expect((await scheduler.runDue()).succeeded).toBe(0);
    expect((await job(sql, 'k:1'))?.status).toBe('cancelled');
  });

  it('runs jobs on its own while started, and leaves kinds it has no handler for', async () => {
    const ran: string[] = [];
    const scheduler = createJobScheduler({
      executor: sql,
      handlers: {
        tick: (scheduled) => {
          ran.push(scheduled.uniqueKey);
          return Promise.resolve();
        },
      },
      clock,
      pollIntervalMs: 1000,
    });
    await asServiceRole(sql, async (tx) => {
      await scheduler.schedule(tx, {
        tenantId: t.tenantId,
        kind: 'tick',
        uniqueKey: 'tick:1',
        runAt: clock.now() + 5000,
      });
      await scheduler.schedule(tx, {
        tenantId: t.tenantId,
        kind: 'other',
        uniqueKey: 'other:1',
        runAt: clock.now(),
      });
    });

    scheduler.start();
    scheduler.start();
    // It polls on a background timer: a started scheduler alone does not hold a process open.
    expect(clock.pendingTimers({ background: false })).toBe(0);
    expect(clock.pendingTimers({ background: true })).toBe(1);
    for (let i = 0; i < 100 && ran.length === 0; i += 1) await clock.advance(1000);
    await scheduler.stop();
    expect(clock.pendingTimers()).toBe(0);

    expect(ran).toEqual(['tick:1']);
    expect((await job(sql, 'other:1'))?.status).toBe('pending');
  });
});
