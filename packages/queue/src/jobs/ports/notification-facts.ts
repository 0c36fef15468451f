/**
 * An appointment as the booking notification rules see it.
 *
 * @example
 * ```ts
 * const appointment: AppointmentFacts = { status: 'booked', startsAt: Date.parse('2026-03-05T09:00:00Z'), patientId, clinicId };
 * ```
 */
export interface AppointmentFacts {
  readonly status: string;
  /** Epoch milliseconds. */
  readonly startsAt: number;
  readonly patientId: string;
  readonly clinicId: string;
}

/**
 * How a patient may be reached, as stored: the rules pick the channel from it.
 *
 * @example
 * ```ts
 * const contact: PatientContactFacts = { phone: '+14155550100', email: null, preferredChannel: 'sms', consent: { sms: true }, erased: false };
 * ```
 */
export interface PatientContactFacts {
  readonly phone: string | null;
  readonly email: string | null;
  readonly preferredChannel: string;
  readonly consent: { readonly sms?: boolean; readonly email?: boolean } | null;
  /** True once the patient was erased: nothing is sent to them any more. */
  readonly erased: boolean;
}

/**
 * A clinic as the notification rules see it: its name, zone and settings (locale, thresholds).
 *
 * @example
 * ```ts
 * const clinic: ClinicFacts = { name: 'Riverside', timeZone: 'Europe/Vienna', settings: { locale: 'de-AT' } };
 * ```
 */
export interface ClinicFacts {
  readonly name: string;
  readonly timeZone: string;
  readonly settings: Readonly<Record<string, unknown>>;
}

/**
 * A queue entry called (or recalled) within a range of queue versions.
 *
 * @example
 * ```ts
 * const entry: CalledEntryFacts = { id, patientId, ticket: 'A-017', counter: 'Room 3', entryVersion: 4 };
 * ```
 */
export interface CalledEntryFacts {
  readonly id: string;
  readonly patientId: string | null;
  readonly ticket: string;
  readonly counter: string | null;
  readonly entryVersion: number;
}

/**
 * A waiting queue entry with its position (1 = next), derived from the queue's ordering.
 *
 * @example
 * ```ts
 * const entry: WaitingEntryFacts = { id, patientId, ticket: 'A-018', recallCount: 0, position: 1 };
 * ```
 */
export interface WaitingEntryFacts {
  readonly id: string;
  readonly patientId: string | null;
  readonly ticket: string;
  readonly recallCount: number;
  readonly position: number;
}

/**
 * What the notification jobs read, within the job's transaction (as service_role, so it sees
 * every row of the tenant).
 *
 * @example
 * ```ts
 * const clinic = await facts.clinic(job.tenantId, String(job.payload.clinicId));
 * ```
 */
export interface NotificationFacts {
  appointment(tenantId: string, appointmentId: string): Promise<AppointmentFacts | undefined>;
  patientContact(tenantId: string, patientId: string): Promise<PatientContactFacts | undefined>;
  clinic(tenantId: string, clinicId: string): Promise<ClinicFacts | undefined>;
  /** Entries whose `called` or `recalled` event lies in (`fromVersion`, `toVersion`] and are still called. */
  calledEntries(
    tenantId: string,
    queueId: string,
    fromVersion: number,
    toVersion: number,
  ): Promise<CalledEntryFacts[]>;
  /** The first `limit` waiting entries of the queue, next first. */
  waitingEntries(tenantId: string, queueId: string, limit: number): Promise<WaitingEntryFacts[]>;
}
