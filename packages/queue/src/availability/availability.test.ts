import { minutesOfDay, ValidationError, type WeeklyHours, WEEKDAYS } from '@carequeue/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  busyRangeOf,
  checkSlot,
  EARLIEST_SUPPORTED_INSTANT,
  END_OF_SUPPORTED_INSTANTS,
  listAvailableSlots,
  MAX_AVAILABILITY_SPAN_DAYS,
  type AvailabilityRules,
  type BusyInterval,
} from './availability.js';
import { wallTimeToInstant } from './zoned-time.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number): string => new Date(ms).toISOString();

const allDay = (day: WeeklyHours['day'], start = '00:00', end = '24:00'): WeeklyHours => ({
  day,
  start,
  end,
  breaks: [],
});

function rules(overrides: Partial<AvailabilityRules>): AvailabilityRules {
  return {
    timeZone: 'UTC',
    weeklyHours: WEEKDAYS.map((day) => allDay(day)),
    durationMinutes: 30,
    slotIntervalMinutes: 30,
    minimumNoticeMinutes: 0,
    bookingHorizonDays: 400,
    ...overrides,
  };
}

const longAgo = { now: at('2026-01-01T00:00:00Z'), busy: [] };

/** Wall date and minutes of an instant, read with a formatter of the test's own. */
function wallOf(timeZone: string, instant: number): { date: string; minutes: number } {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(new Date(instant));
  const get = (type: string): string => parts.find((part) => part.type === type)?.value ?? '';
  return {
    date: `${get('year')}-${get('month')}-${get('day')}`,
    minutes: Number(get('hour')) * 60 + Number(get('minute')),
  };
}

function wallTimes(timeZone: string, slots: { start: number }[]): string[] {
  return slots.map((slot) => {
    const { minutes } = wallOf(timeZone, slot.start);
    return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
  });
}

describe('listAvailableSlots on DST days', () => {
  it('starts no slot in the New York spring-forward gap and ends none after closing', () => {
    const ny = rules({
      timeZone: 'America/New_York',
      weeklyHours: [allDay('sunday', '01:00', '04:00')],
      durationMinutes: 60,
    });
    const slots = listAvailableSlots(
      ny,
      longAgo,
      at('2026-03-08T00:00:00Z'),
      at('2026-03-09T12:00:00Z'),
    );
    expect(wallTimes('America/New_York', slots)).toEqual(['01:00', '01:30', '03:00']);
    expect(slots.map((slot) => iso(slot.start))).toEqual([
      '2026-03-08T06:00:00.000Z',
      '2026-03-08T06:30:00.000Z',
      '2026-03-08T07:00:00.000Z',
    ]);
  });

  it('offers each wall time once, at its first occurrence, on the New York fall-back day', () => {
    const ny = rules({ timeZone: 'America/New_York', weeklyHours: [allDay('sunday')] });
    const slots = listAvailableSlots(
      ny,
      longAgo,
      at('2026-11-01T00:00:00Z'),
      at('2026-11-02T12:00:00Z'),
    );
    expect(slots).toHaveLength(48);
    expect(slots.map((slot) => iso(slot.start)).slice(2, 5)).toEqual([
      '2026-11-01T05:00:00.000Z',
      '2026-11-01T05:30:00.000Z',
      '2026-11-01T07:00:00.000Z',
    ]);
  });

  it('drops the slot whose real end passes a closing time inside the repeated hour', () => {
    const ny = rules({
      timeZone: 'America/New_York',
      weeklyHours: [allDay('sunday', '00:00', '01:30')],
      durationMinutes: 60,
    });
    const slots = listAvailableSlots(
      ny,
      longAgo,
      at('2026-11-01T00:00:00Z'),
      at('2026-11-02T00:00:00Z'),
    );
    expect(wallTimes('America/New_York', slots)).toEqual(['00:00', '00:30']);
  });

  it('has 23 hours of slots on the Paris spring-forward day and 25 on the fall-back day', () => {
    const paris = rules({ timeZone: 'Europe/Paris', weeklyHours: [allDay('sunday')] });
    const spring = listAvailableSlots(
      paris,
      longAgo,
      at('2026-03-28T12:00:00Z'),
      at('2026-03-30T00:00:00Z'),
    );
    expect(spring).toHaveLength(46);
    expect(wallTimes('Europe/Paris', spring)).not.toContain('02:00');
    expect(wallTimes('Europe/Paris', spring)).not.toContain('02:30');
    const autumn = listAvailableSlots(
      paris,
      longAgo,
      at('2026-10-24T12:00:00Z'),
      at('2026-10-26T00:00:00Z'),
    );
    // Every wall time once: the repeated 02:00-03:00 is offered only at its first occurrence.
    expect(autumn).toHaveLength(48);
    expect(autumn.at(-1)?.end).toBe(at('2026-10-25T23:00:00Z'));
  });

  it('follows the half-hour shifts of Lord Howe Island in both directions', () => {
    const lordHowe = rules({
      timeZone: 'Australia/Lord_Howe',
      weeklyHours: [allDay('sunday', '01:00', '04:00')],
      slotIntervalMinutes: 15,
    });
    const spring = listAvailableSlots(
      lordHowe,
      longAgo,
      at('2026-10-03T00:00:00Z'),
      at('2026-10-04T12:00:00Z'),
    );
    expect(wallTimes('Australia/Lord_Howe', spring)).toEqual([
      '01:00',
      '01:15',
      '01:30',
      '01:45',
      '02:30',
      '02:45',
      '03:00',
      '03:15',
      '03:30',
    ]);
    const autumn = listAvailableSlots(
      lordHowe,
      longAgo,
      at('2026-04-04T00:00:00Z'),
      at('2026-04-05T12:00:00Z'),
    );
    expect(autumn.map((slot) => iso(slot.start)).slice(2, 5)).toEqual([
      '2026-04-04T14:30:00.000Z',
      '2026-04-04T14:45:00.000Z',
      '2026-04-04T15:30:00.000Z',
    ]);
  });
});

describe('listAvailableSlots', () => {
  const monday = rules({
    timeZone: 'Europe/Paris',
    weeklyHours: [
      { day: 'monday', start: '08:00', end: '12:00', breaks: [{ start: '10:00', end: '10:30' }] },
    ],
    durationMinutes: 20,
    slotIntervalMinutes: 15,
  });
  const day = { from: at('2026-03-02T00:00:00Z'), to: at('2026-03-03T00:00:00Z') };

  it('leaves out slots overlapping a break and slots ending after closing', () => {
    const walls = wallTimes('Europe/Paris', listAvailableSlots(monday, longAgo, day.from, day.to));
    expect(walls).not.toContain('09:45');
    expect(walls).not.toContain('10:15');
    expect(walls).toContain('10:30');
    expect(walls.at(-1)).toBe('11:30');
  });

  it('replaces the weekly hours with a date override and closes on an empty one', () => {
    const overridden = {
      ...monday,
      dateOverrides: [{ date: '2026-03-02', intervals: [{ start: '14:00', end: '15:00' }] }],
    };
    expect(
      wallTimes('Europe/Paris', listAvailableSlots(overridden, longAgo, day.from, day.to)),
    ).toEqual(['14:00', '14:15', '14:30']);
    const closed = { ...monday, dateOverrides: [{ date: '2026-03-02', intervals: [] }] };
    expect(listAvailableSlots(closed, longAgo, day.from, day.to)).toEqual([]);
  });

  it('applies minimum notice, the horizon and buffers around taken ranges', () => {
    const buffered = {
      ...monday,
      bufferBeforeMinutes: 10,
      bufferAfterMinutes: 5,
      minimumNoticeMinutes: 60,
      bookingHorizonDays: 1,
    };
    const now = at('2026-03-02T07:30:00Z'); // 08:30 in Paris
    const busy: BusyInterval[] = [
      { start: at('2026-03-02T10:00:00Z'), end: at('2026-03-02T10:20:00Z') },
    ];
    const walls = wallTimes(
      'Europe/Paris',
      listAvailableSlots(buffered, { now, busy }, day.from, day.to),
    );
    expect(walls[0]).toBe('09:30');
    // 10:45 runs with its 5-minute buffer into the 11:00 visit; 11:15 starts its 10-minute
    // buffer at 11:05, inside it; 11:30's buffer starts exactly when the visit ends.
    expect(walls).toEqual(['09:30', '10:30', '11:30']);
    expect(
      listAvailableSlots(buffered, { now: now - 2 * DAY, busy: [] }, day.from, day.to),
    ).toEqual([]);
    expect(listAvailableSlots(buffered, longAgo, day.from, day.from)).toEqual([]);
  });

  it('lists the same slots when the range reaches past the horizon as when it stops at it', () => {
    const near = { ...monday, bookingHorizonDays: 7 };
    const from = at('2026-03-02T00:00:00Z');
    const context = { now: at('2026-03-01T00:00:00Z'), busy: [] };
    const clamped = listAvailableSlots(near, context, from, context.now + 7 * DAY + 1);
    const beyond = listAvailableSlots(near, context, from, from + 62 * DAY);
    expect(beyond.length).toBeGreaterThan(0);
    expect(beyond).toEqual(clamped);
  });
});

/** The issues of the `ValidationError` that `run` throws, or a failure when it does not throw one. */
function issuesOf(run: () => unknown): { path: string; message: string }[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return [...(error as ValidationError).issues];
  }
  throw new Error('expected a ValidationError');
}

describe('listAvailableSlots input bounds', () => {
  const from = at('2026-03-02T00:00:00Z');
  const week = { from, to: from + 7 * DAY };

  it('refuses slotIntervalMinutes 0 instead of looping forever', () => {
    // Unfixed, the wall-clock loop adds a step of 0 and never ends: this test then times out.
    expect(
      issuesOf(() =>
        listAvailableSlots(rules({ slotIntervalMinutes: 0 }), longAgo, week.from, week.to),
      ),
    ).toEqual([
      { path: 'rules.slotIntervalMinutes', message: 'must be an integer from 1 to 1440' },
    ]);
  });

  it('refuses a negative service duration instead of listing slots', () => {
    expect(
      issuesOf(() =>
        listAvailableSlots(rules({ durationMinutes: -30 }), longAgo, week.from, week.to),
      ),
    ).toEqual([{ path: 'rules.durationMinutes', message: 'must be an integer from 1 to 1440' }]);
  });

  it('names every out-of-bounds rule when several are wrong', () => {
    const wrong = rules({
      slotIntervalMinutes: 7.5,
      bufferBeforeMinutes: -5,
      bufferAfterMinutes: Number.NaN,
      minimumNoticeMinutes: -1,
      bookingHorizonDays: 0,
    });
    expect(
      issuesOf(() => listAvailableSlots(wrong, longAgo, week.from, week.to)).map(
        (issue) => issue.path,
      ),
    ).toEqual([
      'rules.slotIntervalMinutes',
      'rules.bufferBeforeMinutes',
      'rules.bufferAfterMinutes',
      'rules.minimumNoticeMinutes',
      'rules.bookingHorizonDays',
    ]);
  });

  it('refuses a range whose to is before its from', () => {
    expect(issuesOf(() => listAvailableSlots(rules({}), longAgo, week.to, week.from))).toEqual([
      { path: 'to', message: 'must not be before from' },
    ]);
  });

  it('refuses a range longer than the maximum span and accepts one of exactly that span', () => {
    const limit = from + MAX_AVAILABILITY_SPAN_DAYS * DAY;
    expect(issuesOf(() => listAvailableSlots(rules({}), longAgo, from, limit + 1))).toEqual([
      { path: 'to', message: 'must be at most 62 days after from' },
    ]);
    expect(listAvailableSlots(rules({}), longAgo, from, limit).length).toBeGreaterThan(0);
  });

  it('refuses instants that are not finite or lie outside the supported dates', () => {
    const outside = [
      [Number.NaN, week.to, 'from'],
      [at('0001-01-01T00:00:00Z'), week.to, 'from'],
      [from, END_OF_SUPPORTED_INSTANTS, 'to'],
      [EARLIEST_SUPPORTED_INSTANT - 1, week.to, 'from'],
    ] as const;
    for (const [start, end, path] of outside) {
      expect(issuesOf(() => listAvailableSlots(rules({}), longAgo, start, end))).toEqual([
        {
          path,
          message: 'must be an instant from 1970-01-01T00:00:00Z to before 2200-01-01T00:00:00Z',
        },
      ]);
    }
  });

  it('refuses checkSlot with out-of-bounds rules or a start outside the supported dates', () => {
    expect(
      issuesOf(() => checkSlot(rules({ slotIntervalMinutes: 0 }), longAgo, from))[0]?.path,
    ).toBe('rules.slotIntervalMinutes');
    expect(issuesOf(() => checkSlot(rules({}), longAgo, at('9999-01-01T00:00:00Z')))[0]?.path).toBe(
      'start',
    );
  });
});

describe('checkSlot', () => {
  const monday = rules({
    timeZone: 'Europe/Paris',
    weeklyHours: [{ day: 'monday', start: '08:00', end: '12:00', breaks: [] }],
    minimumNoticeMinutes: 60,
    bookingHorizonDays: 10,
  });

  it('gives the reason a start cannot be booked', () => {
    const now = at('2026-03-02T07:30:00Z');
    const busy = [{ start: at('2026-03-02T09:00:00Z'), end: at('2026-03-02T09:30:00Z') }];
    expect(checkSlot(monday, { now, busy }, at('2026-03-02T07:40:00Z'))).toEqual({
      available: false,
      reason: 'outside-hours',
    });
    expect(checkSlot(monday, { now, busy }, at('2026-03-02T08:00:00Z'))).toEqual({
      available: false,
      reason: 'too-soon',
    });
    expect(checkSlot(monday, { now, busy }, at('2026-03-02T09:00:00Z'))).toEqual({
      available: false,
      reason: 'busy',
    });
    expect(checkSlot(monday, { now, busy }, at('2026-03-16T09:00:00Z'))).toEqual({
      available: false,
      reason: 'beyond-horizon',
    });
    expect(checkSlot(monday, { now, busy }, at('2026-03-02T10:00:00Z'))).toEqual({
      available: true,
      slot: { start: at('2026-03-02T10:00:00Z'), end: at('2026-03-02T10:30:00Z') },
    });
  });
});

const ZONES = ['Europe/Paris', 'America/New_York', 'Australia/Lord_Howe', 'UTC', 'Asia/Kolkata'];
/** Both transition days of each DST zone above, plus ordinary days. */
const DATES = [
  '2026-03-29',
  '2026-10-25',
  '2026-03-08',
  '2026-11-01',
  '2026-04-05',
  '2026-10-04',
  '2026-06-15',
  '2026-01-12',
];

const minute5 = (max: number): fc.Arbitrary<number> =>
  fc.integer({ min: 0, max: max / 5 }).map((n) => n * 5);
const hhmm = (minutes: number): string =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

const weeklyHoursArb: fc.Arbitrary<WeeklyHours[]> = fc
  .array(
    fc.tuple(
      fc.constantFrom(...WEEKDAYS),
      minute5(1380),
      minute5(1440),
      fc.option(fc.tuple(minute5(1440), minute5(120)), { nil: undefined }),
    ),
    { minLength: 1, maxLength: 10 },
  )
  .map((entries) =>
    entries.flatMap(([day, a, b, pause]) => {
      const start = Math.min(a, b);
      const end = Math.max(a, b);
      if (start === end) return [];
      const breaks = [];
      if (pause !== undefined) {
        const breakStart = Math.max(start, Math.min(pause[0], end - 5));
        const breakEnd = Math.min(end, breakStart + Math.max(5, pause[1]));
        breaks.push({ start: hhmm(breakStart), end: hhmm(breakEnd) });
      }
      return [{ day, start: hhmm(start), end: end === 1440 ? '24:00' : hhmm(end), breaks }];
    }),
  );

const scenarioArb = fc.record({
  timeZone: fc.constantFrom(...ZONES),
  date: fc.constantFrom(...DATES),
  weeklyHours: weeklyHoursArb,
  overrideToday: fc.option(
    fc.tuple(
      minute5(1380),
      fc.integer({ min: 1, max: 60 }).map((n) => n * 5),
    ),
    { nil: undefined },
  ),
  durationMinutes: fc.integer({ min: 1, max: 24 }).map((n) => n * 5),
  bufferBeforeMinutes: minute5(30),
  bufferAfterMinutes: minute5(30),
  slotIntervalMinutes: fc.constantFrom(5, 10, 15, 20, 30, 60),
  minimumNoticeMinutes: minute5(600),
  bookingHorizonDays: fc.integer({ min: 1, max: 5 }),
  nowOffsetMinutes: fc.integer({ min: -3000, max: 600 }),
  busy: fc.array(
    fc.tuple(fc.integer({ min: -1440, max: 4320 }), fc.integer({ min: 1, max: 240 })),
    { maxLength: 8 },
  ),
});

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

function setUp(scenario: Scenario) {
  const base = Date.parse(`${scenario.date}T00:00:00Z`);
  const dateOverrides =
    scenario.overrideToday === undefined
      ? []
      : [
          {
            date: scenario.date,
            intervals: [
              {
                start: hhmm(scenario.overrideToday[0]),
                end: hhmm(Math.min(1439, scenario.overrideToday[0] + scenario.overrideToday[1])),
              },
            ],
          },
        ];
  const availability: AvailabilityRules = {
    timeZone: scenario.timeZone,
    weeklyHours: scenario.weeklyHours,
    dateOverrides: dateOverrides.filter((o) => o.intervals.every((r) => r.start < r.end)),
    durationMinutes: scenario.durationMinutes,
    bufferBeforeMinutes: scenario.bufferBeforeMinutes,
    bufferAfterMinutes: scenario.bufferAfterMinutes,
    slotIntervalMinutes: scenario.slotIntervalMinutes,
    minimumNoticeMinutes: scenario.minimumNoticeMinutes,
    bookingHorizonDays: scenario.bookingHorizonDays,
  };
  const busy = scenario.busy.map(([offset, length]) => ({
    start: base + offset * MINUTE,
    end: base + (offset + length) * MINUTE,
  }));
  const context = { now: base + scenario.nowOffsetMinutes * MINUTE, busy };
  return { availability, context, from: base - DAY, to: base + 2 * DAY };
}

/** The working intervals of a local date under the rules, as the test reads them. */
function intervalsOf(availability: AvailabilityRules, date: string) {
  const override = availability.dateOverrides?.find((o) => o.date === date);
  if (override) return override.intervals.map((range) => ({ ...range, breaks: [] }));
  const weekday = WEEKDAYS[(new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7];
  return availability.weeklyHours.filter((hours) => hours.day === weekday);
}

describe('availability properties', () => {
  it('lists only slots inside working hours, on the grid, outside breaks and taken ranges', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const { availability, context, from, to } = setUp(scenario);
        const zone = availability.timeZone;
        for (const slot of listAvailableSlots(availability, context, from, to)) {
          expect(slot.end - slot.start).toBe(availability.durationMinutes * MINUTE);
          const wall = wallOf(zone, slot.start);
          const home = intervalsOf(availability, wall.date).filter((interval) => {
            const open = minutesOfDay(interval.start);
            return (
              wall.minutes >= open &&
              wall.minutes < minutesOfDay(interval.end) &&
              (wall.minutes - open) % availability.slotIntervalMinutes === 0
            );
          });
          expect(home.length).toBeGreaterThan(0);
          const fits = home.some((interval) => {
            const closing =
              wallTimeToInstant(zone, wall.date, minutesOfDay(interval.end), 'later') ?? 0;
            const inBreak = interval.breaks.some((pause) => {
              const start =
                wallTimeToInstant(zone, wall.date, minutesOfDay(pause.start), 'later') ?? 0;
              const end = wallTimeToInstant(zone, wall.date, minutesOfDay(pause.end), 'later') ?? 0;
              return slot.start < end && start < slot.end;
            });
            return slot.end <= closing && !inBreak;
          });
          expect(fits).toBe(true);
          expect(slot.start).toBeGreaterThanOrEqual(
            context.now + availability.minimumNoticeMinutes * MINUTE,
          );
          expect(slot.start).toBeLessThanOrEqual(
            context.now + availability.bookingHorizonDays * DAY,
          );
          const taken = busyRangeOf(availability, slot);
          for (const busy of context.busy)
            expect(taken.start < busy.end && busy.start < taken.end).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('finds every listed slot bookable and never lists a slot once it is booked', () => {
    fc.assert(
      fc.property(scenarioArb, fc.nat(), (scenario, pick) => {
        const { availability, context, from, to } = setUp(scenario);
        const slots = listAvailableSlots(availability, context, from, to);
        for (const slot of slots)
          expect(checkSlot(availability, context, slot.start)).toEqual({ available: true, slot });
        const booked = slots[pick % Math.max(1, slots.length)];
        if (booked === undefined) return;
        const after = { ...context, busy: [...context.busy, busyRangeOf(availability, booked)] };
        expect(checkSlot(availability, after, booked.start)).toEqual({
          available: false,
          reason: 'busy',
        });
        const relisted = listAvailableSlots(availability, after, from, to);
        expect(relisted.map((slot) => slot.start)).not.toContain(booked.start);
        expect(relisted.length).toBeLessThan(slots.length);
      }),
      { numRuns: 300 },
    );
  });

  it('lists exactly the grid starts that the check accepts', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const { availability, context, from } = setUp(scenario);
        const to = from + 3 * DAY;
        const listed = new Set(
          listAvailableSlots(availability, context, from, to).map((slot) => slot.start),
        );
        for (let start = from; start < to; start += 5 * MINUTE) {
          expect(checkSlot(availability, context, start).available).toBe(listed.has(start));
        }
      }),
      { numRuns: 40 },
    );
  });
});
