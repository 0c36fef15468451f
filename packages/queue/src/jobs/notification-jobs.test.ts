import { ValidationError } from '@carequeue/core';
import type { SqlExecutor } from '@carequeue/core/sql';
import { describe, expect, it } from 'vitest';
import type { NotificationOutbox } from '../notifications/index.js';
import type { ScheduledJob } from './job-scheduler.js';
import { bookingNotificationJob, NOTIFICATION_JOBS } from './notification-jobs.js';

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

/** Answers the three reads of the job: the appointment, the patient's contact and the clinic. */
function transactionWith(clinic: { time_zone: string; settings: Record<string, unknown> }) {
  const rows = (text: string): object[] => {
    if (text.includes('FROM queue.appointments')) {
      return [
        {
          status: 'booked',
          starts_at: new Date(Date.UTC(2026, 2, 5, 9)),
          patient_id: '0195f0a4-1111-7000-8000-000000000003',
          clinic_id: '0195f0a4-1111-7000-8000-000000000004',
        },
      ];
    }
    if (text.includes('FROM queue.patients')) {
      return [
        {
          phone: '+14155550100',
          email: null,
          preferred_channel: 'sms',
          consent: { sms: true },
          erased_at: null,
        },
      ];
    }
    return [{ name: 'North', ...clinic }];
  };
  const tx = {
    query: (text: string) => Promise.resolve({ rows: rows(text), rowCount: 1 }),
  };
  return tx as unknown as SqlExecutor;
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

describe('bookingNotificationJob', () => {
  it('formats the time in the clinic zone when the zone and locale are valid', async () => {
    const { outbox, enqueued } = recordingOutbox();
    const handler = bookingNotificationJob({ outbox });
    const tx = transactionWith({ time_zone: 'Europe/Paris', settings: { locale: 'en' } });
    await handler(job, { tx, now: 0 });
    expect(enqueued).toMatchObject([{ variables: { time: 'March 5, 2026 at 10:00 AM' } }]);
  });

  it('fails with a ValidationError naming clinic.timeZone, not echoing it, when the stored clinic time zone is invalid (RangeError echoing the input)', async () => {
    const { outbox, enqueued } = recordingOutbox();
    const handler = bookingNotificationJob({ outbox });
    const tx = transactionWith({ time_zone: `Mars/${MARKER}`, settings: {} });
    const error = await failureOf(() => handler(job, { tx, now: 0 }));
    expect(error.issues.map((issue) => issue.path)).toEqual(['clinic.timeZone']);
    expect(JSON.stringify([error.message, error.toProblem(), error.stack])).not.toContain(MARKER);
    expect(enqueued).toEqual([]);
  });

  it('fails with a ValidationError naming the locale when a stored locale is not a language tag (raw RangeError)', async () => {
    const { outbox, enqueued } = recordingOutbox();
    const handler = bookingNotificationJob({ outbox });
    const tx = transactionWith({ time_zone: 'UTC', settings: { locale: `${MARKER}!!` } });
    const error = await failureOf(() => handler(job, { tx, now: 0 }));
    expect(error.issues.map((issue) => issue.path)).toEqual(['locale']);
    expect(JSON.stringify([error.message, error.toProblem()])).not.toContain(MARKER);
    expect(enqueued).toEqual([]);
  });
});
