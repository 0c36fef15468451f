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
import type { JobHandler } from './ports/job-scheduler.js';
import type {
  ClinicFacts,
  NotificationFacts,
  PatientContactFacts,
} from './ports/notification-facts.js';
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

/**
 * Where the patient can be reached: their preferred channel when they consented to it and have
 * an address for it; nothing for an erased patient or one who chose no messages.
 */
function contactOf(patient: PatientContactFacts | undefined): Contact | undefined {
  if (patient === undefined || patient.erased) return undefined;
  if (patient.preferredChannel === 'sms' && patient.phone && patient.consent?.sms !== false) {
    return { channel: 'sms', to: patient.phone };
  }
  if (patient.preferredChannel === 'email' && patient.email && patient.consent?.email !== false) {
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

/** The clinic's locale setting (`settings.locale`), when it names one. */
function clinicLocale(clinic: ClinicFacts): string | undefined {
  return typeof clinic.settings.locale === 'string' ? clinic.settings.locale : undefined;
}

/** Reads a job's facts through the job's own transaction. */
export type NotificationFactsOf = (tx: SqlExecutor) => NotificationFacts;

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
 * The booking notification rules as a job handler over {@link NotificationFacts}: what
 * `bookingNotificationJob` runs with the SQL facts. Nothing is sent when the appointment has moved
 * on (a reminder for a cancelled booking), the patient was erased, chose no messages or did not
 * consent to the channel; the message shows the clinic name and the time in the clinic's zone.
 */
export function bookingNotificationHandler(
  options: BookingNotificationJobOptions,
  factsOf: NotificationFactsOf,
): JobHandler {
  checkFactoryOptions('bookingNotificationJob', BookingNotificationJobOptionsSchema, options);
  return async (job, { tx }) => {
    const facts = factsOf(tx);
    const kind = (
      job.kind === NOTIFICATION_JOBS.bookingReminder ? 'booking.reminder' : job.payload.kind
    ) as NotificationKind;
    const appointmentId = String(job.payload.appointmentId);
    const appointment = await facts.appointment(job.tenantId, appointmentId);
    if (appointment === undefined || !EXPECTED_STATUS[kind]?.includes(appointment.status)) return;
    const contact = contactOf(await facts.patientContact(job.tenantId, appointment.patientId));
    const clinic = await facts.clinic(job.tenantId, appointment.clinicId);
    if (contact === undefined || clinic === undefined) return;
    const preferred = await options.patientLocale?.(tx, job.tenantId, appointment.patientId);
    const locale = preferred ?? clinicLocale(clinic) ?? options.defaultLocale ?? 'en';
    // A stored zone or locale Intl does not know is a typed error naming the setting, not a
    // RangeError quoting it.
    const time = new Intl.DateTimeFormat(requireLocale(locale, 'locale'), {
      dateStyle: 'long',
      timeStyle: 'short',
      timeZone: requireTimeZone(clinic.timeZone, 'clinic.timeZone'),
    }).format(appointment.startsAt);
    await options.outbox.enqueue(tx, {
      tenantId: job.tenantId,
      clinicId: appointment.clinicId,
      patientId: appointment.patientId,
      kind,
      channel: contact.channel,
      to: contact.to,
      locales: [preferred, clinicLocale(clinic), options.defaultLocale],
      variables: { clinicName: clinic.name, time },
      dedupeKey: `${kind}:${appointmentId}:${appointment.startsAt}`,
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

/** How many waiting entries the "you're next" rule looks at, from the front of the queue. */
const WAITING_ENTRIES_CHECKED = 50;

function ruleOf(clinic: ClinicFacts, fallback: YoureNextRule): YoureNextRule {
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
 * The queue notification rules as a job handler over {@link NotificationFacts}: what
 * `queueNotificationJob` runs with the SQL facts. For every `called` or `recalled` event in the
 * job's version range it enqueues a "called" message naming the counter; then it enqueues "you're
 * next" for each waiting entry whose position is at most the clinic's threshold or whose estimate
 * is at most its minutes. Dedupe keys (entry, version, recall count) make each message go out once
 * per fact, however often the rule is evaluated.
 */
export function queueNotificationHandler(
  options: QueueNotificationJobOptions,
  factsOf: NotificationFactsOf,
): JobHandler {
  checkFactoryOptions('queueNotificationJob', QueueNotificationJobOptionsSchema, options);
  const fallback = options.youreNext ?? { maxPosition: 2 };
  return async (job, { tx }) => {
    const facts = factsOf(tx);
    const queueId = String(job.payload.queueId);
    const clinic = await facts.clinic(job.tenantId, String(job.payload.clinicId));
    if (clinic === undefined) return;
    const notify = async (
      entry: { id: string; patientId: string | null },
      kind: NotificationKind,
      variables: TemplateVariables,
      dedupeKey: string,
    ): Promise<void> => {
      if (entry.patientId === null) return;
      const contact = contactOf(await facts.patientContact(job.tenantId, entry.patientId));
      if (contact === undefined) return;
      const preferred = await options.patientLocale?.(tx, job.tenantId, entry.patientId);
      const notification: NewNotification = {
        tenantId: job.tenantId,
        clinicId: String(job.payload.clinicId),
        patientId: entry.patientId,
        kind,
        channel: contact.channel,
        to: contact.to,
        locales: [preferred, clinicLocale(clinic), options.defaultLocale],
        variables,
        dedupeKey,
      };
      await options.outbox.enqueue(tx, notification);
    };

    const called = await facts.calledEntries(
      job.tenantId,
      queueId,
      Number(job.payload.fromVersion),
      Number(job.payload.toVersion),
    );
    for (const entry of called) {
      await notify(
        entry,
        'queue.called',
        { clinicName: clinic.name, ticket: entry.ticket, counter: entry.counter ?? '-' },
        `queue.called:${entry.id}:${entry.entryVersion}`,
      );
    }

    const rule = ruleOf(clinic, fallback);
    const waiting = await facts.waitingEntries(job.tenantId, queueId, WAITING_ENTRIES_CHECKED);
    for (const entry of waiting) {
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
        `queue.next:${entry.id}:${entry.recallCount}`,
      );
    }
  };
}
