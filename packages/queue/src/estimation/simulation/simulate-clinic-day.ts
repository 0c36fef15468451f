/**
 * A seeded discrete-event simulation of one clinic day that records, for every patient called,
 * both estimators' answers at check-in and the actual wait.
 *
 * @packageDocumentation
 */
import { MINUTE_MS } from '@carequeue/core';
import { createServiceTimeTracker } from '../service-time-tracker.js';
import {
  createWaitTimeEstimator,
  type QueueSnapshot,
  type WaitEstimate,
  type WaitTimeTuning,
} from '../wait-time-estimator.js';
import {
  createCalibratedWaitTimeEstimator,
  type WaitCalibrationTuning,
} from '../calibrated-wait-time-estimator.js';
import { CLINIC_DAY, type ClinicDayParameters, valueAt } from './clinic-day.js';
import { createSeededRandom, type SeededRandom } from './seeded-random.js';

/**
 * One called patient: what the estimators said at check-in and what happened, in minutes.
 *
 * @example
 * ```ts
 * const late = outcomes.filter((outcome) => outcome.actualMinutes > outcome.p90Minutes);
 * ```
 */
export interface SimulatedWait {
  readonly checkInMinute: number;
  readonly actualMinutes: number;
  /** The P50 shown: the calibrated estimator's. */
  readonly p50Minutes: number;
  readonly p90Minutes: number;
  /** The uncalibrated rule estimator's P50. */
  readonly ruleP50Minutes: number;
  readonly ruleP90Minutes: number;
  readonly baselineMinutes: number;
}

/**
 * Options of {@link simulateClinicDay}.
 *
 * @example
 * ```ts
 * const options: SimulateClinicDayOptions = { seed: 11, calibration: { window: 40 } };
 * ```
 */
export interface SimulateClinicDayOptions {
  readonly seed: number;
  /** @default CLINIC_DAY */
  readonly day?: ClinicDayParameters;
  /** The rule estimator's tuning. @default its defaults */
  readonly tuning?: WaitTimeTuning;
  /** The calibration's tuning. @default its defaults */
  readonly calibration?: WaitCalibrationTuning;
}

interface Patient {
  readonly id: number;
  readonly checkInMinute: number;
  readonly orderKey: number;
  readonly serviceType: string;
  readonly serviceMinutes: number;
  readonly leavesAfterMinute: number;
  estimate?: { p50: number; p90: number; rule: WaitEstimate; baseline: number };
}

interface Server {
  patient: Patient | undefined;
  startedMinute: number;
}

type SimulationEvent =
  | { readonly minute: number; readonly kind: 'arrival'; readonly patient: Patient }
  | { readonly minute: number; readonly kind: 'completion'; readonly server: Server }
  | { readonly minute: number; readonly kind: 'renege'; readonly patient: Patient }
  | { readonly minute: number; readonly kind: 'staffing' };

/**
 * Runs one seeded clinic day and returns every called patient's estimates and actual wait.
 *
 * Queue discipline: waiting patients are called in order of an ordering key, lowest first (ties
 * by check-in order). A walk-in's key is its check-in time; a booked patient's is its start time
 * minus `appointmentLeadMinutes`, so arriving early buys no place while a booked patient goes
 * ahead of walk-ins who came in just before their slot. An urgent patient's key is lowered by
 * `urgentHeadStartMinutes`; as a waiting patient's key never changes, a normal patient can be
 * overtaken only by urgent patients arriving within that head start of them, which bounds their
 * wait (aging). Booked patients arriving before opening check in at opening. Staff leaving at a
 * shift change finish their patient first. Doors close at `closesAtMinute`; the staff on duty then
 * serve everyone already checked in. Walk-ins who leave unseen and no-shows have no actual wait
 * and are not returned.
 *
 * Estimates are taken at check-in from the queue as it stands and the roster's planned staffing
 * changes (`plannedStaff`): the calibrated estimator over the rule estimator (learning service
 * times online from the clinic's configured durations as priors, and calibrating on every patient
 * called so far that day and on the running waits of those still waiting), the rule estimator alone, and the queue-length
 * baseline `position × mean service time ÷ active staff`, with the 1-based position and the
 * running mean of all services completed so far.
 *
 * @example
 * ```ts
 * import { simulateClinicDay } from '@carequeue/queue';
 *
 * const waits = simulateClinicDay({ seed: 11 });
 * ```
 */
export function simulateClinicDay(options: SimulateClinicDayOptions): SimulatedWait[] {
  const day = options.day ?? CLINIC_DAY;
  const random = createSeededRandom(options.seed);
  const tracker = createServiceTimeTracker({
    priors: Object.fromEntries(
      day.serviceTypes.map((type) => [
        type.name,
        {
          meanMs: type.configuredMinutes * MINUTE_MS,
          sdMs: (type.configuredMinutes * MINUTE_MS) / 2,
        },
      ]),
    ),
    defaultPrior: { meanMs: 15 * MINUTE_MS, sdMs: 7.5 * MINUTE_MS },
  });
  const estimator = createCalibratedWaitTimeEstimator({
    rule: createWaitTimeEstimator({
      tracker,
      ...(options.tuning === undefined ? {} : { tuning: options.tuning }),
    }),
    ...(options.calibration === undefined ? {} : { tuning: options.calibration }),
  });
  let baselineTotal = day.serviceTypes.reduce(
    (sum, type) => sum + type.share * type.configuredMinutes,
    0,
  );
  let baselineCount = 1;

  const events: SimulationEvent[] = [
    ...generateArrivals(day, random).map((patient) => ({
      minute: patient.checkInMinute,
      kind: 'arrival' as const,
      patient,
    })),
    ...day.staff.map((period) => ({ minute: period.fromMinute, kind: 'staffing' as const })),
  ].sort((a, b) => a.minute - b.minute);
  const maxStaff = Math.max(...day.staff.map((period) => period.value));
  const servers: Server[] = Array.from({ length: maxStaff }, () => ({
    patient: undefined,
    startedMinute: 0,
  }));
  const waiting: Patient[] = [];
  const results: SimulatedWait[] = [];
  let now = day.opensAtMinute;

  const onShift = (index: number): boolean => index < valueAt(day.staff, now);

  function schedule(event: SimulationEvent): void {
    let index = events.length;
    while (index > 0 && (events[index - 1] as SimulationEvent).minute > event.minute) index -= 1;
    events.splice(index, 0, event);
  }

  function dispatch(): void {
    servers.forEach((server, index) => {
      if (server.patient !== undefined || !onShift(index)) return;
      const patient = waiting.shift();
      if (patient === undefined) return;
      server.patient = patient;
      server.startedMinute = now;
      const estimate = patient.estimate as NonNullable<Patient['estimate']>;
      results.push({
        checkInMinute: patient.checkInMinute,
        actualMinutes: now - patient.checkInMinute,
        p50Minutes: estimate.p50,
        p90Minutes: estimate.p90,
        ruleP50Minutes: estimate.rule.p50Ms / MINUTE_MS,
        ruleP90Minutes: estimate.rule.p90Ms / MINUTE_MS,
        baselineMinutes: estimate.baseline,
      });
      estimator.observeCall({
        rule: estimate.rule,
        waitedMs: (now - patient.checkInMinute) * MINUTE_MS,
      });
      schedule({ minute: now + patient.serviceMinutes, kind: 'completion', server });
    });
  }

  function checkIn(patient: Patient): void {
    let index = waiting.length;
    while (index > 0 && (waiting[index - 1] as Patient).orderKey > patient.orderKey) index -= 1;
    waiting.splice(index, 0, patient);
    const activeServers = valueAt(day.staff, now);
    const roster = day.plannedStaff ?? day.staff;
    const snapshot: QueueSnapshot = {
      activeServers,
      staffingPlan: roster
        .filter((period) => period.fromMinute > now)
        .map((period) => ({
          afterMs: (period.fromMinute - now) * MINUTE_MS,
          activeServers: period.value,
        })),
      ahead: waiting.slice(0, index),
      inService: servers.flatMap((server, serverIndex) =>
        server.patient !== undefined && onShift(serverIndex)
          ? [
              {
                serviceType: server.patient.serviceType,
                elapsedMs: (now - server.startedMinute) * MINUTE_MS,
              },
            ]
          : [],
      ),
    };
    estimator.observeWaiting(
      waiting.flatMap((other) =>
        other.estimate === undefined
          ? []
          : [{ rule: other.estimate.rule, waitedMs: (now - other.checkInMinute) * MINUTE_MS }],
      ),
    );
    const shown = estimator.estimate(snapshot);
    patient.estimate = {
      p50: shown.p50Ms / MINUTE_MS,
      p90: shown.p90Ms / MINUTE_MS,
      rule: shown.rule,
      baseline: ((index + 1) * (baselineTotal / baselineCount)) / activeServers,
    };
    if (Number.isFinite(patient.leavesAfterMinute)) {
      schedule({ minute: patient.leavesAfterMinute, kind: 'renege', patient });
    }
  }

  for (let event = events.shift(); event !== undefined; event = events.shift()) {
    now = event.minute;
    if (event.kind === 'arrival') checkIn(event.patient);
    else if (event.kind === 'renege') {
      const index = waiting.indexOf(event.patient);
      if (index >= 0) waiting.splice(index, 1);
    } else if (event.kind === 'completion') {
      const patient = event.server.patient as Patient;
      tracker.observe(patient.serviceType, patient.serviceMinutes * MINUTE_MS);
      baselineTotal += patient.serviceMinutes;
      baselineCount += 1;
      event.server.patient = undefined;
    }
    dispatch();
  }
  return results;
}

function generateArrivals(day: ClinicDayParameters, random: SeededRandom): Patient[] {
  const patients: Patient[] = [];
  function admit(arrivalMinute: number, orderKeyBase: number, walkIn: boolean): void {
    const checkInMinute = Math.max(arrivalMinute, day.opensAtMinute);
    const serviceType = pickServiceType(day, random);
    const urgent = random.chance(day.urgentShare);
    const leaves = walkIn && random.chance(day.leaverShare);
    patients.push({
      id: patients.length,
      checkInMinute,
      orderKey: (walkIn ? checkInMinute : orderKeyBase) - (urgent ? day.urgentHeadStartMinutes : 0),
      serviceType: serviceType.name,
      serviceMinutes: random.lognormal(serviceType.meanMinutes, serviceType.sdMinutes),
      leavesAfterMinute: leaves ? checkInMinute + day.patienceMinutes : Number.POSITIVE_INFINITY,
    });
  }
  day.walkInsPerHour.forEach((period, index) => {
    const endMinute = day.walkInsPerHour[index + 1]?.fromMinute ?? day.closesAtMinute;
    // Poisson arrivals are memoryless, so restarting the exponential gaps at each period boundary is exact.
    for (
      let minute = period.fromMinute + random.exponential(period.value / 60);
      minute < endMinute;
    ) {
      admit(minute, minute, true);
      minute += random.exponential(period.value / 60);
    }
  });
  const slotMinutes = 60 / day.appointmentsPerHour;
  for (let start = day.opensAtMinute; start < day.closesAtMinute; start += slotMinutes) {
    if (random.chance(day.noShowShare)) continue;
    admit(
      start - random.next() * day.appointmentEarlyMinutes,
      start - day.appointmentLeadMinutes,
      false,
    );
  }
  patients.sort((a, b) => a.checkInMinute - b.checkInMinute || a.id - b.id);
  return patients;
}

function pickServiceType(
  day: ClinicDayParameters,
  random: SeededRandom,
): ClinicDayParameters['serviceTypes'][number] {
  let draw = random.next();
  for (const type of day.serviceTypes) {
    if (draw < type.share) return type;
    draw -= type.share;
  }
  return day.serviceTypes[
    day.serviceTypes.length - 1
  ] as ClinicDayParameters['serviceTypes'][number];
}
