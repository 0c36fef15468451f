import { ValidationError } from '@carequeue/core';
import type { SqlExecutor } from '@carequeue/core/sql';
import { describe, expect, it } from 'vitest';
import type { NotificationOutbox } from '../notifications/index.js';
import type { ScheduledJob } from './ports/job-scheduler.js';
import { bookingNotificationHandler, NOTIFICATION_JOBS } from './notification-jobs.js';
import type { NotificationFacts } from './ports/notification-facts.js';

const MARKER = 'Q19Marker';

const job: ScheduledJob = {
  id: 'j1',
  tenantId: '0195f0a4-1111-7000-8000-000000000001',
  kind: NOTIFICATION_JOBS.bookingReminder,
  uniqueKey: 'booking.reminder:1',
  payload: { appointmentId: '0195f0a4-1111-7000-8000-000000000002' },
  runAt: 0,
  attempt: 1,
};

const tx = {} as SqlExecutor;

/** Facts of a booked appointment whose patient takes SMS, at a clinic with `clinic`'s zone and settings. */
function factsWith(clinic: { timeZone: string; settings: Record<string, unknown> }) {
  const facts: NotificationFacts = {
    appointment: () =>
      Promise.resolve({
        status: 'booked',
        startsAt: Date.UTC(2026, 2, 5, 9),
        patientId: '0195f0a4-1111-7000-8000-000000000003',
        clinicId: '0195f0a4-1111-7000-8000-000000000004',
      }),
    patientContact: () =>
      Promise.resolve({
        phone: '+14155550100',
        email: null,
        preferredChannel: 'sms',
        consent: { sms: true },
        erased: false,
      }),
    clinic: () => Promise.resolve({ name: 'North', ...clinic }),
    calledEntries: () => Promise.resolve([]),
    waitingEntries: () => Promise.resolve([]),
  };
  return () => facts;
}

function recordingOutbox(): { outbox: NotificationOutbox; enqueued: unknown[] } {
  const enqueued: unknown[] = [];
  const outbox = {
    enqueue: (_tx: SqlExecutor, notification: unknown) => {
      enqueued.push(notification);
      return Promise.resolve();
    },
  } as unknown as NotificationOutbox;
  return { outbox, enqueued };
}

async function failureOf(run: () => Promise<void>): Promise<ValidationError> {
  const error: unknown = await run().then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return error as ValidationError;
}

describe('bookingNotificationHandler', () => {
  it('formats the time in the clinic zone when the zone and locale are valid', async () => {
    const { outbox, enqueued } = recordingOutbox();
    const handler = bookingNotificationHandler(
      { outbox },
      factsWith({ timeZone: 'Europe/Paris', settings: { locale: 'en' } }),
    );
    await handler(job, { tx, now: 0 });
    expect(enqueued).toMatchObject([{ variables: { time: 'March 5, 2026 at 10:00 AM' } }]);
  });

  it('fails with a ValidationError naming clinic.timeZone, not echoing it, when the stored clinic time zone is invalid (RangeError echoing the input)', async () => {
    const { outbox, enqueued } = recordingOutbox();
    const handler = bookingNotificationHandler(
      { outbox },
      factsWith({ timeZone: `Mars/${MARKER}`, settings: {} }),
    );
    const error = await failureOf(() => handler(job, { tx, now: 0 }));
    expect(error.issues.map((issue) => issue.path)).toEqual(['clinic.timeZone']);
    expect(JSON.stringify([error.message, error.toProblem(), error.stack])).not.toContain(MARKER);
    expect(enqueued).toEqual([]);
  });

  it('fails with a ValidationError naming the locale when a stored locale is not a language tag (raw RangeError)', async () => {
    const { outbox, enqueued } = recordingOutbox();
    const handler = bookingNotificationHandler(
      { outbox },
      factsWith({ timeZone: 'UTC', settings: { locale: `${MARKER}!!` } }),
    );
    const error = await failureOf(() => handler(job, { tx, now: 0 }));
    expect(error.issues.map((issue) => issue.path)).toEqual(['locale']);
    expect(JSON.stringify([error.message, error.toProblem()])).not.toContain(MARKER);
    expect(enqueued).toEqual([]);
  });
});
