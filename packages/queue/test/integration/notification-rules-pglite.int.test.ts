import { randomBytes } from 'node:crypto';
import { createAuditLogService } from '@carequeue/audit';
import { postgresAuditStore } from '@carequeue/audit/postgres';
import { ClinicId, createFakeClock, PatientId, QueueId, TenantId, uuidv7 } from '@carequeue/core';
import { createFieldEncryptor, keyringFromConfig } from '@carequeue/core/crypto';
import { asServiceRole, createPgliteExecutor, type SqlExecutor } from '@carequeue/core/sql';
import { createIdempotency, memoryIdempotencyStore } from '@carequeue/resilience';
import { useTestPglite } from '@carequeue/test-harness';
import { beforeEach, describe, expect, it } from 'vitest';
import { createBookingService } from '../../src/booking/booking-service.js';
import { createJobScheduler } from '../../src/jobs/postgres/job-scheduler.js';
import { NOTIFICATION_JOBS } from '../../src/jobs/notification-jobs.js';
import {
  bookingNotificationJob,
  queueNotificationJob,
} from '../../src/jobs/postgres/notification-jobs.js';
import { notifyingBookingUnitOfWork } from '../../src/jobs/postgres/notifying-booking-unit-of-work.js';
import { queueNotificationSink } from '../../src/jobs/queue-notification-sink.js';
import { createNotificationOutbox } from '../../src/notifications/postgres/notification-outbox.js';
import {
  outboxPayloadContext,
  type NotificationPayload,
} from '../../src/notifications/outbox-payload.js';
import { patientActor, receptionist, seedBookingWorld } from './booking-fixtures.js';
import { staffActor } from './service-fixtures.js';
import { seedTwoTenants } from './tenant-fixture.js';
import { sqlQueueService } from './walk-in-fixtures.js';
import { sqlClockFollowing } from './sql-clock-fixture.js';

const DAY = 86_400_000;

describe('notification rules on PGlite', () => {
  const pglite = useTestPglite();
  let sql: SqlExecutor;
  const encryptor = createFieldEncryptor({
    keys: keyringFromConfig({ current: 'k1', keys: { k1: randomBytes(32).toString('base64') } }),
  });

  async function outbox(): Promise<
    { kind: string; dedupeKey: string; payload: NotificationPayload }[]
  > {
    const { rows } = await asServiceRole(sql, (tx) =>
      tx.query<{ id: string; kind: string; dedupe_key: string; payload_ciphertext: string }>(
        'SELECT id, kind, dedupe_key, payload_ciphertext FROM queue.notification_outbox ORDER BY created_at, dedupe_key',
      ),
    );
    return Promise.all(
      rows.map(async (row) => ({
        kind: row.kind,
        dedupeKey: row.dedupe_key,
        payload: JSON.parse(
          await encryptor.decrypt(row.payload_ciphertext, outboxPayloadContext(row.id)),
        ) as NotificationPayload,
      })),
    );
  }

  beforeEach(async () => {
    sql = createPgliteExecutor(pglite.db);
    await sql.exec('TRUNCATE queue.jobs, queue.notification_outbox');
  });

  it('sends "you\'re next" within the clinic\'s position threshold and "called" with the counter, once each', async () => {
    const { a: t } = await seedTwoTenants(sql);
    await asServiceRole(sql, (tx) =>
      tx.query(
        `UPDATE queue.patients SET phone = '+14155550100', consent = '{"sms": true}' WHERE id = $1;`,
        [t.patientOne],
      ),
    );
    await asServiceRole(sql, (tx) =>
      tx.query(
        `UPDATE queue.clinics SET name = 'Riverside Clinic',
           settings = '{"locale": "en", "notifications": {"youreNextPosition": 2}}' WHERE id = $1`,
        [t.clinicOne],
      ),
    );
    const clock = createFakeClock(Date.UTC(2026, 2, 2, 9));
    const messages = createNotificationOutbox({ encryptor, clock });
    const scheduler = createJobScheduler({
      executor: sql,
      handlers: { [NOTIFICATION_JOBS.queue]: queueNotificationJob({ outbox: messages }) },
      clock,
    });
    const queue = sqlQueueService(sql, { eventSink: queueNotificationSink({ scheduler, clock }) });
    const desk = staffActor(
      TenantId.parse(t.tenantId),
      ['receptionist'],
      [ClinicId.parse(t.clinicOne)],
    );
    const clinicId = ClinicId.parse(t.clinicOne);
    const queueId = QueueId.parse(uuidv7());

    await queue.checkInWalkIn(desk, { clinicId, queueId, guestName: 'Guest one' });
    await queue.checkInWalkIn(desk, { clinicId, queueId, guestName: 'Guest two' });
    await queue.checkInWalkIn(desk, {
      clinicId,
      queueId,
      patientId: PatientId.parse(t.patientOne),
    });
    await scheduler.runDue();
    expect(await outbox()).toEqual([]);

    await queue.callNext(desk, { clinicId, queueId, counter: 'Room 1' });
    await scheduler.runDue();
    const next = await outbox();
    expect(next.map((message) => message.kind)).toEqual(['queue.next']);
    expect(next[0]?.payload).toMatchObject({
      to: '+14155550100',
      variables: { clinicName: 'Riverside Clinic', position: 2 },
    });

    await queue.callNext(desk, { clinicId, queueId, counter: 'Room 2' });
    await scheduler.runDue();
    expect((await outbox()).map((message) => message.kind)).toEqual(['queue.next']);

    await queue.callNext(desk, { clinicId, queueId, counter: 'Room 3' });
    await scheduler.runDue();
    const all = await outbox();
    expect(all.map((message) => message.kind).sort()).toEqual(['queue.called', 'queue.next']);
    const called = all.find((message) => message.kind === 'queue.called');
    expect(called?.payload.variables.counter).toBe('Room 3');
    expect(called?.payload.variables.ticket).toMatch(/^[A-Z0-9-]+$/);
  });

  it('announces a booking, schedules its reminder and announces the cancellation, skipping the reminder', async () => {
    const world = await seedBookingWorld(sql, { patients: 1 });
    await asServiceRole(sql, (tx) =>
      tx.query(
        `UPDATE queue.patients SET phone = '+14155550100', preferred_channel = 'sms', consent = '{"sms": true}'
         WHERE tenant_id = $1`,
        [world.tenantId],
      ),
    );
    const clock = createFakeClock(Date.UTC(2026, 2, 2, 6));
    const messages = createNotificationOutbox({ encryptor, clock });
    const handler = bookingNotificationJob({ outbox: messages });
    const scheduler = createJobScheduler({
      executor: sql,
      handlers: {
        [NOTIFICATION_JOBS.booking]: handler,
        [NOTIFICATION_JOBS.bookingReminder]: handler,
      },
      clock,
    });
    const booking = createBookingService({
      unitOfWork: notifyingBookingUnitOfWork({
        executor: sqlClockFollowing(sql, clock),
        scheduler,
        clock,
      }),
      audit: createAuditLogService({ store: postgresAuditStore({ executor: sql }), clock }),
      clock,
      idempotency: createIdempotency({ store: memoryIdempotencyStore({ clock }), clock }),
    });
    const patient = patientActor(world, world.patientIds[0] as PatientId);

    const booked = await booking.book(patient, {
      clinicId: world.clinicId,
      staffId: world.staffIds[0] as never,
      serviceTypeId: world.serviceTypeId,
      patientId: world.patientIds[0] as PatientId,
      start: '2026-03-05T09:00:00.000Z',
      idempotencyKey: uuidv7(),
    });
    expect(booked.status).toBe('booked');
    await scheduler.runDue();
    const confirmed = await outbox();
    expect(confirmed.map((message) => message.kind)).toEqual(['booking.confirmed']);
    expect(confirmed[0]?.payload.variables.time).toBe('March 5, 2026 at 10:00 AM');

    await booking.cancel(receptionist(world), booked.id, 'patient-request');
    await scheduler.runDue();
    await clock.advance(3 * DAY);
    const report = await scheduler.runDue();

    expect(report.succeeded).toBe(1);
    expect((await outbox()).map((message) => message.kind).sort()).toEqual([
      'booking.cancelled',
      'booking.confirmed',
    ]);
  });

  it("writes a booking confirmation in the patient's preferred locale before the clinic's", async () => {
    const world = await seedBookingWorld(sql, { patients: 1 });
    await asServiceRole(sql, (tx) =>
      tx.query(
        `UPDATE queue.patients SET phone = '+14155550100', preferred_channel = 'sms', consent = '{"sms": true}'
         WHERE tenant_id = $1`,
        [world.tenantId],
      ),
    );
    const clock = createFakeClock(Date.UTC(2026, 2, 2, 6));
    const asked: string[] = [];
    const handler = bookingNotificationJob({
      outbox: createNotificationOutbox({ encryptor, clock }),
      patientLocale: (_tx, _tenantId, patientId) => {
        asked.push(patientId);
        return Promise.resolve('de-DE');
      },
    });
    const scheduler = createJobScheduler({
      executor: sql,
      handlers: { [NOTIFICATION_JOBS.booking]: handler },
      clock,
    });
    const booking = createBookingService({
      unitOfWork: notifyingBookingUnitOfWork({
        executor: sqlClockFollowing(sql, clock),
        scheduler,
        clock,
      }),
      audit: createAuditLogService({ store: postgresAuditStore({ executor: sql }), clock }),
      clock,
      idempotency: createIdempotency({ store: memoryIdempotencyStore({ clock }), clock }),
    });
    const patientId = world.patientIds[0] as PatientId;
    await booking.book(patientActor(world, patientId), {
      clinicId: world.clinicId,
      staffId: world.staffIds[0] as never,
      serviceTypeId: world.serviceTypeId,
      patientId,
      start: '2026-03-05T09:00:00.000Z',
      idempotencyKey: uuidv7(),
    });
    await scheduler.runDue();

    const [confirmed] = await outbox();
    expect(asked).toEqual([patientId]);
    expect(confirmed?.payload.locales[0]).toBe('de-DE');
    expect(confirmed?.payload.variables.time).toBe('5. März 2026 um 10:00');
  });
});
