import { z } from 'zod';
import { requireTimeZone, ValidationError } from '@carequeue/core';
import type { SqlExecutor } from '@carequeue/core/sql';
import type {
  NewNotification,
  NotificationChannel,
  NotificationKind,
  NotificationOutbox,
  TemplateVariables,
} from '../notifications/index.js';
import type { JobHandler } from './job-scheduler.js';
import { checkFactoryOptions, functionOption, portOption } from '../config/factory-options.js';

/**
 * Job kinds of the notification rules: a booking change to announce, a queue change to check
 * the "you're next" and "called" rules against, and an appointment reminder.
 *
 * @example
 * ```ts
 * await scheduler.schedule(tx, { tenantId, kind: NOTIFICATION_JOBS.bookingReminder, uniqueKey, runAt, payload: { appointmentId } });
 * ```
 */
export const NOTIFICATION_JOBS = {
  booking: 'booking.notify',
  bookingReminder: 'booking.reminder',
  queue: 'queue.notify',
} as const;

interface Contact {
  readonly channel: NotificationChannel;
  readonly to: string;
}

interface ClinicInfo {
  readonly name: string;
  readonly timeZone: string;
  readonly locale: string | undefined;
  readonly settings: Readonly<Record<string, unknown>>;
}

/**
 * Where the patient can be reached: their preferred channel when they consented to it and have
 * an address for it; nothing for an erased patient or one who chose no messages.
 */
async function contactOf(
  tx: SqlExecutor,
  tenantId: string,
  patientId: string | null,
): Promise<Contact | undefined> {
  if (patientId === null) return undefined;
  const { rows } = await tx.query<{
    phone: string | null;
    email: string | null;
    preferred_channel: string;
    consent: { sms?: boolean; email?: boolean } | null;
    erased_at: Date | null;
  }>(
    `SELECT phone, email, preferred_channel, consent, erased_at FROM queue.patients
     WHERE tenant_id = $1 AND id = $2`,
    [tenantId, patientId],
  );
  const patient = rows[0];
  if (patient === undefined || patient.erased_at !== null) return undefined;
  if (patient.preferred_channel === 'sms' && patient.phone && patient.consent?.sms !== false) {
    return { channel: 'sms', to: patient.phone };
  }
  if (patient.preferred_channel === 'email' && patient.email && patient.consent?.email !== false) {
    return { channel: 'email', to: patient.email };
  }
  return undefined;
}

/** The canonical form of a BCP 47 locale tag, or a `ValidationError` naming `argument`. */
function requireLocale(locale: string, argument: string): string {
  try {
    const [canonical] = Intl.getCanonicalLocales(locale);
    if (canonical !== undefined) return canonical;
  } catch {
    // Intl's RangeError quotes the tag; the error below names the setting instead.
  }
  throw new ValidationError(
    `The ${argument} is not a locale. Set a BCP 47 language tag, such as en or de-AT.`,
    [{ path: argument, message: 'must be a BCP 47 language tag, such as en or de-AT' }],
  );
}

async function clinicOf(
  tx: SqlExecutor,
  tenantId: string,
  clinicId: string,
): Promise<ClinicInfo | undefined> {
  const { rows } = await tx.query<{
    name: string;
    time_zone: string;
    settings: Record<string, unknown> | null;
  }>('SELECT name, time_zone, settings FROM queue.clinics WHERE tenant_id = $1 AND id = $2', [
    tenantId,
    clinicId,
  ]);
  const clinic = rows[0];
  if (clinic === undefined) return undefined;
  const settings = clinic.settings ?? {};
  return {
    name: clinic.name,
    timeZone: clinic.time_zone,
    locale: typeof settings.locale === 'string' ? settings.locale : undefined,
    settings,
  };
}

/**
 * Options of {@link bookingNotificationJob}.
 *
 * @example
 * ```ts
 * const options: BookingNotificationJobOptions = { outbox, defaultLocale: 'en' };
 * ```
 */
export interface BookingNotificationJobOptions {
  readonly outbox: NotificationOutbox;
  /** Locale when the clinic's settings name none (`settings.locale`). @default 'en' */
  readonly defaultLocale?: string;
  /** The patient's preferred locale, tried before the clinic's. */
  readonly patientLocale?: PatientLocaleLookup;
}

/**
 * Looks up a patient's preferred locale (where the host keeps it) inside the job's transaction;
 * `undefined` falls back to the clinic's locale.
 *
 * @example
 * ```ts
 * const patientLocale: PatientLocaleLookup = async (tx, tenantId, patientId) =>
 *   (await tx.query<{ locale: string }>('SELECT locale FROM app.patient_prefs WHERE tenant_id = $1 AND patient_id = $2', [tenantId, patientId])).rows[0]?.locale;
 * ```
 */
export type PatientLocaleLookup = (
  tx: SqlExecutor,
  tenantId: string,
  patientId: string,
) => Promise<string | undefined>;

const EXPECTED_STATUS: Readonly<Record<string, readonly string[]>> = {
  'booking.confirmed': ['booked'],
  'booking.reminder': ['booked', 'pending'],
  'booking.cancelled': ['cancelled'],
};

const BookingNotificationJobOptionsSchema = z.object({
  outbox: portOption('a NotificationOutbox', ['enqueue']),
  defaultLocale: z.string().min(1).max(35).optional(),
  patientLocale: functionOption().optional(),
});

/**
 * The handler of {@link NOTIFICATION_JOBS}`.booking` and `.bookingReminder` jobs (payload:
 * `appointmentId`, and `kind` for the former: `booking.confirmed` or `booking.cancelled`). It
 * reads the appointment, the patient's contact and the clinic as service_role, and writes the
 * notification into the outbox in the job's own transaction, so it is enqueued exactly once.
 * Nothing is sent when the appointment has moved on (a reminder for a cancelled booking), the
 * patient was erased, chose no messages or did not consent to the channel. The message shows the
 * clinic name and the time in the clinic's zone: never the service or the clinician.
 *
 * @example
 * ```ts
 * const scheduler = createJobScheduler({
 *   executor: sql,
 *   handlers: {
 *     [NOTIFICATION_JOBS.booking]: bookingNotificationJob({ outbox }),
 *     [NOTIFICATION_JOBS.bookingReminder]: bookingNotificationJob({ outbox }),
 *   },
 * });
 * ```
 */
export function bookingNotificationJob(options: BookingNotificationJobOptions): JobHandler {
  checkFactoryOptions('bookingNotificationJob', BookingNotificationJobOptionsSchema, options);
  return async (job, { tx }) => {
    const kind = (
      job.kind === NOTIFICATION_JOBS.bookingReminder ? 'booking.reminder' : job.payload.kind
    ) as NotificationKind;
    const appointmentId = String(job.payload.appointmentId);
    const { rows } = await tx.query<{
      status: string;
      starts_at: Date;
      patient_id: string;
      clinic_id: string;
    }>(
      `SELECT status, starts_at, patient_id, clinic_id FROM queue.appointments
       WHERE tenant_id = $1 AND id = $2`,
      [job.tenantId, appointmentId],
    );
    const appointment = rows[0];
    if (appointment === undefined || !EXPECTED_STATUS[kind]?.includes(appointment.status)) return;
    const contact = await contactOf(tx, job.tenantId, appointment.patient_id);
    const clinic = await clinicOf(tx, job.tenantId, appointment.clinic_id);
    if (contact === undefined || clinic === undefined) return;
    const preferred = await options.patientLocale?.(tx, job.tenantId, appointment.patient_id);
    const locale = preferred ?? clinic.locale ?? options.defaultLocale ?? 'en';
    const startsAt = new Date(appointment.starts_at);
    // A stored zone or locale Intl does not know is a typed error naming the setting, not a
    // RangeError quoting it.
    const time = new Intl.DateTimeFormat(requireLocale(locale, 'locale'), {
      dateStyle: 'long',
      timeStyle: 'short',
      timeZone: requireTimeZone(clinic.timeZone, 'clinic.timeZone'),
    }).format(startsAt);
    await options.outbox.enqueue(tx, {
      tenantId: job.tenantId,
      clinicId: appointment.clinic_id,
      patientId: appointment.patient_id,
      kind,
      channel: contact.channel,
      to: contact.to,
      locales: [preferred, clinic.locale, options.defaultLocale],
      variables: { clinicName: clinic.name, time },
      dedupeKey: `${kind}:${appointmentId}:${startsAt.getTime()}`,
    });
  };
}

/**
 * The "you're next" thresholds of a clinic.
 *
 * @example
 * ```ts
 * const rule: YoureNextRule = { maxPosition: 2, maxEtaMinutes: 10 };
 * ```
 */
export interface YoureNextRule {
  /** Notify when at most this many patients are ahead plus one (position 1 = next). */
  readonly maxPosition: number;
  /** Or when the estimate is at most this many minutes. */
  readonly maxEtaMinutes?: number | undefined;
}

/**
 * Options of {@link queueNotificationJob}.
 *
 * @example
 * ```ts
 * const options: QueueNotificationJobOptions = { outbox, youreNext: { maxPosition: 2, maxEtaMinutes: 10 } };
 * ```
 */
export interface QueueNotificationJobOptions {
  readonly outbox: NotificationOutbox;
  /**
   * Default thresholds; a clinic overrides them with `settings.notifications.youreNextPosition`
   * and `settings.notifications.youreNextEtaMinutes`.
   *
   * @default { maxPosition: 2 }
   */
  readonly youreNext?: YoureNextRule;
  /** Estimated minutes until an entry is called, for the ETA rule (such as the wait-time estimator's P50). */
  readonly etaMinutes?: (entry: {
    readonly entryId: string;
    readonly position: number;
  }) => Promise<number | undefined>;
  /** @default 'en' */
  readonly defaultLocale?: string;
  /** The patient's preferred locale, tried before the clinic's. */
  readonly patientLocale?: PatientLocaleLookup;
}

interface WaitingEntry {
  readonly id: string;
  readonly patient_id: string | null;
  readonly ticket: string;
  readonly recall_count: number;
  readonly position: number;
}

function ruleOf(clinic: ClinicInfo, fallback: YoureNextRule): YoureNextRule {
  const settings = (clinic.settings.notifications ?? {}) as Record<string, unknown>;
  const position = settings.youreNextPosition;
  const eta = settings.youreNextEtaMinutes;
  return {
    maxPosition: typeof position === 'number' ? position : fallback.maxPosition,
    maxEtaMinutes: typeof eta === 'number' ? eta : fallback.maxEtaMinutes,
  };
}

const QueueNotificationJobOptionsSchema = z.object({
  outbox: portOption('a NotificationOutbox', ['enqueue']),
  youreNext: z
    .object({
      maxPosition: z.int().nonnegative().max(1000),
      maxEtaMinutes: z.number().nonnegative().optional(),
    })
    .optional(),
  etaMinutes: functionOption().optional(),
  defaultLocale: z.string().min(1).max(35).optional(),
  patientLocale: functionOption().optional(),
});

/**
 * The handler of {@link NOTIFICATION_JOBS}`.queue` jobs (payload: `queueId`, `clinicId`,
 * `fromVersion`, `toVersion`, as written by {@link queueNotificationSink}). For every `called`
 * or `recalled` event in the version range it enqueues a "called" message naming the counter;
 * then it derives the positions of the waiting entries and enqueues "you're next" for each whose
 * position is at most the clinic's threshold or whose estimate is at most its minutes. Dedupe
 * keys (entry, version, recall count) make each message go out once per fact, however often the
 * rule is evaluated.
 *
 * @example
 * ```ts
 * const handlers = { [NOTIFICATION_JOBS.queue]: queueNotificationJob({ outbox, youreNext: { maxPosition: 2 } }) };
 * ```
 */
export function queueNotificationJob(options: QueueNotificationJobOptions): JobHandler {
  checkFactoryOptions('queueNotificationJob', QueueNotificationJobOptionsSchema, options);
  const fallback = options.youreNext ?? { maxPosition: 2 };
  return async (job, { tx }) => {
    const queueId = String(job.payload.queueId);
    const clinic = await clinicOf(tx, job.tenantId, String(job.payload.clinicId));
    if (clinic === undefined) return;
    const notify = async (
      entry: { id: string; patient_id: string | null },
      kind: NotificationKind,
      variables: TemplateVariables,
      dedupeKey: string,
    ): Promise<void> => {
      const contact = await contactOf(tx, job.tenantId, entry.patient_id);
      if (contact === undefined || entry.patient_id === null) return;
      const preferred = await options.patientLocale?.(tx, job.tenantId, entry.patient_id);
      const notification: NewNotification = {
        tenantId: job.tenantId,
        clinicId: String(job.payload.clinicId),
        patientId: entry.patient_id,
        kind,
        channel: contact.channel,
        to: contact.to,
        locales: [preferred, clinic.locale, options.defaultLocale],
        variables,
        dedupeKey,
      };
      await options.outbox.enqueue(tx, notification);
    };

    const called = await tx.query<{
      id: string;
      patient_id: string | null;
      ticket: string;
      counter: string | null;
      entry_version: number;
    }>(
      `SELECT e.id, e.patient_id, e.ticket, e.counter, ev.entry_version
       FROM queue.queue_events ev
       JOIN queue.queue_entries e ON e.tenant_id = ev.tenant_id AND e.id = ev.entry_id
       WHERE ev.tenant_id = $1 AND ev.queue_id = $2 AND ev.version > $3 AND ev.version <= $4
         AND ev.type IN ('called', 'recalled') AND e.status = 'called'
       ORDER BY ev.version`,
      [job.tenantId, queueId, Number(job.payload.fromVersion), Number(job.payload.toVersion)],
    );
    for (const entry of called.rows) {
      await notify(
        entry,
        'queue.called',
        { clinicName: clinic.name, ticket: entry.ticket, counter: entry.counter ?? '-' },
        `queue.called:${entry.id}:${entry.entry_version}`,
      );
    }

    const rule = ruleOf(clinic, fallback);
    const waiting = await tx.query<WaitingEntry>(
      `SELECT id, patient_id, ticket, recall_count,
              (row_number() OVER (ORDER BY ordering_key, id))::int AS position
       FROM queue.queue_entries
       WHERE tenant_id = $1 AND queue_id = $2 AND status = 'waiting'
       ORDER BY ordering_key, id
       LIMIT 50`,
      [job.tenantId, queueId],
    );
    for (const entry of waiting.rows) {
      const eta =
        options.etaMinutes === undefined
          ? undefined
          : await options.etaMinutes({ entryId: entry.id, position: entry.position });
      const byPosition = entry.position <= rule.maxPosition;
      const byEta =
        eta !== undefined && rule.maxEtaMinutes !== undefined && eta <= rule.maxEtaMinutes;
      if (!byPosition && !byEta) continue;
      await notify(
        entry,
        'queue.next',
        {
          clinicName: clinic.name,
          ticket: entry.ticket,
          position: entry.position,
          ...(eta === undefined ? {} : { etaMinutes: Math.max(1, Math.round(eta)) }),
        },
        `queue.next:${entry.id}:${entry.recall_count}`,
      );
    }
  };
}
