import { listAvailableSlots, type AvailabilityRules, type BusyInterval } from '@carequeue/queue';
import { defineCase } from '../../case-definition.js';

const PROVIDERS = 20;
const BOOKINGS_PER_PROVIDER = 150;
const MONTH = { from: Date.UTC(2026, 2, 1) - 3_600_000, to: Date.UTC(2026, 3, 1) - 7_200_000 };
const MINUTE = 60_000;

/** A deterministic generator so every run computes the same month. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

interface Provider {
  readonly rules: AvailabilityRules;
  readonly busy: readonly BusyInterval[];
}

function providers(): Provider[] {
  const random = seeded(7);
  return Array.from({ length: PROVIDERS }, (_, index) => {
    const late = index % 2 === 1;
    const rules: AvailabilityRules = {
      timeZone: 'Europe/Paris',
      weeklyHours: (['monday', 'tuesday', 'wednesday', 'thursday', 'friday'] as const).map(
        (day) => ({
          day,
          start: late ? '10:00' : '08:00',
          end: late ? '20:00' : '18:00',
          breaks: [{ start: '12:30', end: '13:30' }],
        }),
      ),
      dateOverrides: [
        { date: '2026-03-13', intervals: [] },
        { date: '2026-03-28', intervals: [{ start: '09:00', end: '13:00' }] },
      ],
      durationMinutes: 20,
      bufferBeforeMinutes: 5,
      bufferAfterMinutes: 5,
      slotIntervalMinutes: 15,
      minimumNoticeMinutes: 60,
      bookingHorizonDays: 60,
    };
    const busy = Array.from({ length: BOOKINGS_PER_PROVIDER }, () => {
      const start = MONTH.from + Math.floor(random() * 31 * 96) * 15 * MINUTE;
      return { start: start - 5 * MINUTE, end: start + 25 * MINUTE };
    });
    return { rules, busy };
  });
}

export default defineCase({
  id: 'queue.availability-month',
  kind: 'latency',
  unit: 'ms',
  better: 'lower',
  target: 50,
  peerName: null,
  notes:
    `ms to list every bookable slot of March 2026 (Europe/Paris, spring-forward day included) for ` +
    `a ${PROVIDERS}-provider clinic with listAvailableSlots: weekday hours with a lunch break, a day ` +
    `off and a shortened Saturday override, 20-minute visits with 5-minute buffers on a 15-minute ` +
    `grid, 60 minutes notice, ${BOOKINGS_PER_PROVIDER} existing bookings per provider; the ` +
    'per-zone formatter and per-date offset caches are warm after the first call, as in a server',
  setup: () => ({ providers: providers(), now: MONTH.from - 86_400_000 }),
  ours: (state) => () => {
    let slots = 0;
    for (const provider of state.providers) {
      slots += listAvailableSlots(
        provider.rules,
        { now: state.now, busy: provider.busy },
        MONTH.from,
        MONTH.to,
      ).length;
    }
    if (slots === 0) throw new Error('The month has no slots: the case is misconfigured.');
  },
});
