import { ValidationError } from '@carequeue/core';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  localDateAt,
  localDateToUtcMidnight,
  wallTimeToInstant,
  zoneOffsetMs,
} from './zoned-time.js';

const HOUR = 3_600_000;
const at = (iso: string): number => Date.parse(iso);

describe('zoneOffsetMs', () => {
  it('returns the offset in force on each side of a transition when the zone has DST', () => {
    expect(zoneOffsetMs('Europe/Paris', at('2026-03-29T00:59:00Z'))).toBe(1 * HOUR);
    expect(zoneOffsetMs('Europe/Paris', at('2026-03-29T01:00:00Z'))).toBe(2 * HOUR);
    expect(zoneOffsetMs('America/New_York', at('2026-11-01T05:59:00Z'))).toBe(-4 * HOUR);
    expect(zoneOffsetMs('America/New_York', at('2026-11-01T06:00:00Z'))).toBe(-5 * HOUR);
    expect(zoneOffsetMs('Australia/Lord_Howe', at('2026-10-03T15:29:00Z'))).toBe(10.5 * HOUR);
    expect(zoneOffsetMs('Australia/Lord_Howe', at('2026-10-03T15:30:00Z'))).toBe(11 * HOUR);
  });
});

describe('localDateAt', () => {
  it('returns the calendar date of the zone when it differs from the UTC date', () => {
    expect(localDateAt('America/New_York', at('2026-03-08T03:00:00Z'))).toBe('2026-03-07');
    expect(localDateAt('Australia/Lord_Howe', at('2026-10-03T14:00:00Z'))).toBe('2026-10-04');
  });
});

describe('addDays', () => {
  it('crosses month and year ends when adding days', () => {
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(localDateToUtcMidnight('2026-03-29')).toBe(Date.UTC(2026, 2, 29));
  });
});

describe('wallTimeToInstant', () => {
  it('has no instant for a wall time in the spring-forward gap when gaps are rejected', () => {
    expect(wallTimeToInstant('Europe/Paris', '2026-03-29', 2 * 60 + 30)).toBeUndefined();
    expect(wallTimeToInstant('America/New_York', '2026-03-08', 2 * 60)).toBeUndefined();
    expect(wallTimeToInstant('Australia/Lord_Howe', '2026-10-04', 2 * 60 + 15)).toBeUndefined();
    expect(wallTimeToInstant('Australia/Lord_Howe', '2026-10-04', 2 * 60 + 30)).toBe(
      at('2026-10-03T15:30:00Z'),
    );
  });

  it('moves a gap wall time forward by the gap when asked for the later instant', () => {
    expect(wallTimeToInstant('America/New_York', '2026-03-08', 2 * 60 + 30, 'later')).toBe(
      at('2026-03-08T07:30:00Z'),
    );
    expect(wallTimeToInstant('Australia/Lord_Howe', '2026-10-04', 2 * 60 + 15, 'later')).toBe(
      at('2026-10-03T15:45:00Z'),
    );
  });

  it('picks the first occurrence of a wall time the fall-back repeats', () => {
    expect(wallTimeToInstant('America/New_York', '2026-11-01', 90)).toBe(
      at('2026-11-01T05:30:00Z'),
    );
    expect(wallTimeToInstant('Europe/Paris', '2026-10-25', 2 * 60 + 30)).toBe(
      at('2026-10-25T00:30:00Z'),
    );
    expect(wallTimeToInstant('Australia/Lord_Howe', '2026-04-05', 90 + 10)).toBe(
      at('2026-04-04T14:40:00Z'),
    );
  });

  it('reads 24:00 as the next midnight and ordinary days with their fixed offset', () => {
    expect(wallTimeToInstant('Europe/Paris', '2026-07-01', 24 * 60)).toBe(
      at('2026-07-01T22:00:00Z'),
    );
    expect(wallTimeToInstant('Asia/Kolkata', '2026-07-01', 9 * 60)).toBe(
      at('2026-07-01T03:30:00Z'),
    );
  });
});

describe('an unknown time zone', () => {
  it('is a ValidationError naming timeZone that does not echo the zone, not a RangeError quoting it', () => {
    const zone = 'Mars/Hx19mK7qZp2w';
    for (const call of [
      () => zoneOffsetMs(zone, 0),
      () => localDateAt(zone, 0),
      () => wallTimeToInstant(zone, '2026-03-02', 60),
    ]) {
      let caught: unknown;
      try {
        call();
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ValidationError);
      const error = caught as ValidationError;
      expect(error.issues.map((issue) => issue.path)).toEqual(['timeZone']);
      expect(JSON.stringify([error.message, error.toProblem()])).not.toContain('Hx19mK7qZp2w');
    }
  });
});
