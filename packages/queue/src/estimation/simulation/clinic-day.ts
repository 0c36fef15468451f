/**
 * The clinic day the wait-time estimators are evaluated on (issue parameters, verbatim).
 *
 * @packageDocumentation
 */

/**
 * One service type of the simulated clinic: its share of patients, its true service-time
 * distribution (lognormal, minutes) and the duration the clinic has configured for it.
 *
 * @example
 * ```ts
 * const vaccination: SimulatedServiceType = {
 *   name: 'vaccination', share: 0.3, meanMinutes: 5, sdMinutes: 2, configuredMinutes: 5,
 * };
 * ```
 */
export interface SimulatedServiceType {
  readonly name: string;
  readonly share: number;
  readonly meanMinutes: number;
  readonly sdMinutes: number;
  /** The booked duration, used only as the estimators' cold-start prior. */
  readonly configuredMinutes: number;
}

/**
 * A value that holds from `fromMinute` (minutes after midnight) until the next period.
 *
 * @example
 * ```ts
 * const lunch: SimulatedPeriod = { fromMinute: 12 * 60, value: 2 };
 * ```
 */
export interface SimulatedPeriod {
  readonly fromMinute: number;
  readonly value: number;
}

/**
 * Everything the clinic-day simulation draws from. Times are minutes after midnight.
 *
 * @example
 * ```ts
 * const day: ClinicDayParameters = { ...CLINIC_DAY, urgentShare: 0.1 };
 * ```
 */
export interface ClinicDayParameters {
  readonly opensAtMinute: number;
  readonly closesAtMinute: number;
  /** Staff calling patients per period; after closing, the afternoon staff finish the queue. */
  readonly staff: readonly SimulatedPeriod[];
  /**
   * The staffing the roster plans, as the estimators are told it; a day where someone leaves
   * unannounced differs from `staff`.
   * @default staff
   */
  readonly plannedStaff?: readonly SimulatedPeriod[];
  /** Walk-in Poisson arrival rate per hour, per period. */
  readonly walkInsPerHour: readonly SimulatedPeriod[];
  readonly appointmentsPerHour: number;
  /** Booked patients arrive uniformly between this many minutes early and on time. */
  readonly appointmentEarlyMinutes: number;
  readonly noShowShare: number;
  readonly serviceTypes: readonly SimulatedServiceType[];
  readonly urgentShare: number;
  /** Share of walk-ins who leave if not called within `patienceMinutes`. */
  readonly leaverShare: number;
  readonly patienceMinutes: number;
  /** Urgent patients are ordered as if they had checked in this much earlier. */
  readonly urgentHeadStartMinutes: number;
  /** Booked patients are ordered as if they had checked in this long before their start. */
  readonly appointmentLeadMinutes: number;
}

/**
 * The clinic day: 08:00-18:00; staff 3 (08-12), 2 (12-14), 3 (14-18); walk-ins 10, 8, 6,
 * 8 and 9 per hour; 4 appointments per hour arriving 0-15 min early with 10% no-shows;
 * consultation 50% (12 ± 6 min), vaccination 30% (5 ± 2), follow-up 20% (20 ± 8); 5% urgent; 3% of
 * walk-ins leave after 45 min. The queue discipline values (60 and 10 min) are ours.
 *
 * @example
 * ```ts
 * import { CLINIC_DAY } from '@carequeue/queue';
 *
 * CLINIC_DAY.serviceTypes.map((type) => type.name); // ['consultation', 'vaccination', 'follow-up']
 * ```
 */
export const CLINIC_DAY: ClinicDayParameters = {
  opensAtMinute: 8 * 60,
  closesAtMinute: 18 * 60,
  staff: [
    { fromMinute: 8 * 60, value: 3 },
    { fromMinute: 12 * 60, value: 2 },
    { fromMinute: 14 * 60, value: 3 },
  ],
  walkInsPerHour: [
    { fromMinute: 8 * 60, value: 10 },
    { fromMinute: 10 * 60, value: 8 },
    { fromMinute: 12 * 60, value: 6 },
    { fromMinute: 14 * 60, value: 8 },
    { fromMinute: 16 * 60, value: 9 },
  ],
  appointmentsPerHour: 4,
  appointmentEarlyMinutes: 15,
  noShowShare: 0.1,
  serviceTypes: [
    { name: 'consultation', share: 0.5, meanMinutes: 12, sdMinutes: 6, configuredMinutes: 15 },
    { name: 'vaccination', share: 0.3, meanMinutes: 5, sdMinutes: 2, configuredMinutes: 5 },
    { name: 'follow-up', share: 0.2, meanMinutes: 20, sdMinutes: 8, configuredMinutes: 20 },
  ],
  urgentShare: 0.05,
  leaverShare: 0.03,
  patienceMinutes: 45,
  urgentHeadStartMinutes: 60,
  appointmentLeadMinutes: 10,
};

/**
 * The value of the period in force at `minute` (the first period's before it starts).
 *
 * @example
 * ```ts
 * valueAt(CLINIC_DAY.staff, 13 * 60); // 2
 * ```
 */
export function valueAt(periods: readonly SimulatedPeriod[], minute: number): number {
  let value = periods[0]?.value ?? 0;
  for (const period of periods) if (period.fromMinute <= minute) value = period.value;
  return value;
}
