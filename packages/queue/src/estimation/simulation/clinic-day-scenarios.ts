/**
 * The clinic days the wait-time estimators are evaluated on besides the reference day: load up
 * and down, fewer staff, more urgent patients, more no-shows and leavers, a slower service mix
 * than the configured durations, and changes in the middle of the day.
 *
 * @packageDocumentation
 */
import { CLINIC_DAY, type ClinicDayParameters, type SimulatedPeriod } from './clinic-day.js';

/**
 * One named clinic day of the evaluation suite.
 *
 * @example
 * ```ts
 * const scenario: ClinicDayScenario = {
 *   name: 'reference',
 *   description: 'The reference clinic day.',
 *   day: CLINIC_DAY,
 * };
 * ```
 */
export interface ClinicDayScenario {
  /** A short kebab-case name, stable across runs. */
  readonly name: string;
  /** What differs from the reference day, in one sentence. */
  readonly description: string;
  readonly day: ClinicDayParameters;
}

function scaled(periods: readonly SimulatedPeriod[], factor: number): SimulatedPeriod[] {
  return periods.map((period) => ({ ...period, value: period.value * factor }));
}

/**
 * The scenario suite: the reference day first, then days it was not tuned for. Tune on seeds
 * 1-10 of every scenario; report on seeds 11-40.
 *
 * @example
 * ```ts
 * import { CLINIC_DAY_SCENARIOS, evaluateWaitTimeEstimators } from '@carequeue/queue';
 *
 * for (const { name, day } of CLINIC_DAY_SCENARIOS) {
 *   console.log(name, evaluateWaitTimeEstimators({ seeds: [11, 12], day }).mae);
 * }
 * ```
 */
export const CLINIC_DAY_SCENARIOS: readonly ClinicDayScenario[] = [
  {
    name: 'reference',
    description: 'The reference clinic day the rule estimator was tuned on.',
    day: CLINIC_DAY,
  },
  {
    name: 'busier',
    description: 'A quarter more walk-ins in every period.',
    day: { ...CLINIC_DAY, walkInsPerHour: scaled(CLINIC_DAY.walkInsPerHour, 1.25) },
  },
  {
    name: 'short-staffed',
    description: 'One staff member fewer in every period (2, 1 at lunch, 2).',
    day: {
      ...CLINIC_DAY,
      staff: CLINIC_DAY.staff.map((period) => ({ ...period, value: period.value - 1 })),
    },
  },
  {
    name: 'quiet',
    description: 'Half the walk-ins and half the appointments.',
    day: {
      ...CLINIC_DAY,
      walkInsPerHour: scaled(CLINIC_DAY.walkInsPerHour, 0.5),
      appointmentsPerHour: CLINIC_DAY.appointmentsPerHour / 2,
    },
  },
  {
    name: 'urgent-heavy',
    description: 'One patient in five is urgent and goes ahead of the hour before them.',
    day: { ...CLINIC_DAY, urgentShare: 0.2 },
  },
  {
    name: 'no-shows-and-leavers',
    description: 'A quarter of booked patients never come; 15% of walk-ins leave after 30 min.',
    day: { ...CLINIC_DAY, noShowShare: 0.25, leaverShare: 0.15, patienceMinutes: 30 },
  },
  {
    name: 'slower-mix',
    description:
      'More consultations and follow-ups, all longer than configured (the priors are too short), and fewer walk-ins so the staff are as busy as on the reference day.',
    day: {
      ...CLINIC_DAY,
      serviceTypes: [
        { name: 'consultation', share: 0.55, meanMinutes: 15, sdMinutes: 8, configuredMinutes: 12 },
        { name: 'vaccination', share: 0.15, meanMinutes: 6, sdMinutes: 3, configuredMinutes: 5 },
        { name: 'follow-up', share: 0.3, meanMinutes: 22, sdMinutes: 10, configuredMinutes: 15 },
      ],
      walkInsPerHour: scaled(CLINIC_DAY.walkInsPerHour, 0.65),
    },
  },
  {
    name: 'staff-leaves-at-11',
    description:
      'A staff member leaves unannounced at 11:00 (the roster still plans 3 until 12:00); a replacement comes at 14:00.',
    day: {
      ...CLINIC_DAY,
      plannedStaff: CLINIC_DAY.staff,
      staff: [
        { fromMinute: 8 * 60, value: 3 },
        { fromMinute: 11 * 60, value: 2 },
        { fromMinute: 14 * 60, value: 3 },
      ],
    },
  },
  {
    name: 'bus-at-10',
    description: 'A bus brings about 15 walk-ins between 10:00 and 10:10.',
    day: {
      ...CLINIC_DAY,
      walkInsPerHour: [
        { fromMinute: 8 * 60, value: 10 },
        { fromMinute: 10 * 60, value: 90 },
        { fromMinute: 10 * 60 + 10, value: 8 },
        { fromMinute: 12 * 60, value: 6 },
        { fromMinute: 14 * 60, value: 8 },
        { fromMinute: 16 * 60, value: 9 },
      ],
    },
  },
];
