import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.js';
import { createDeterministicIdGenerator } from '../id-generator.js';
import { phiLevelOf, taggedPaths } from '../phi.js';
import { parseOrThrow } from '../validation.js';
import {
  Appointment,
  Clinic,
  DateOverride,
  Invitation,
  isIanaTimeZone,
  requireTimeZone,
  LocalTime,
  minutesOfDay,
  modelSchemas,
  Patient,
  QueueEntry,
  Schedule,
  ServiceType,
  Staff,
  TimeRange,
  WeeklyHours,
} from './index.js';

const ids = createDeterministicIdGenerator({ seed: 11 });
const id = (): string => ids.next();
const now = '2026-03-01T09:00:00Z';
const tenantId = id();
const clinicId = id();

function issuesOf(run: () => unknown): readonly { path: string; message: string }[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error.issues;
    throw error;
  }
  return [];
}

describe('Clinic', () => {
  it('fills default settings when none are given', () => {
    const clinic = Clinic.parse({
      id: clinicId,
      tenantId,
      name: 'North',
      timeZone: 'Europe/Berlin',
      createdAt: now,
      updatedAt: now,
      version: 0,
    });
    expect(clinic.settings).toMatchObject({
      walkInsEnabled: true,
      slotIntervalMinutes: 15,
      maxRecalls: 2,
    });
  });

  it('rejects a time zone when it is an offset or unknown', () => {
    const base = {
      id: clinicId,
      tenantId,
      name: 'North',
      createdAt: now,
      updatedAt: now,
      version: 0,
    };
    for (const timeZone of ['+01:00', 'Mars/Olympus', 'UTC+1']) {
      expect(issuesOf(() => parseOrThrow(Clinic, { ...base, timeZone }, 'clinic'))).toEqual([
        { path: 'timeZone', message: 'must be an IANA time zone name, such as Europe/Berlin' },
      ]);
    }
  });
});

describe('isIanaTimeZone', () => {
  it('accepts IANA names when the runtime knows them', () => {
    expect(
      ['UTC', 'America/New_York', 'America/Argentina/Buenos_Aires'].map(isIanaTimeZone),
    ).toEqual([true, true, true]);
    expect(isIanaTimeZone('America/New_York')).toBe(true);
  });
});

describe('requireTimeZone', () => {
  const marker = `Marker/Zone${Math.random().toString(36).slice(2)}`;

  it('returns the zone when it is an IANA name', () => {
    expect(requireTimeZone('Europe/Berlin', 'timeZone')).toBe('Europe/Berlin');
  });

  it('throws ValidationError naming the argument, not the zone, when the time zone is invalid (RangeError echoing the input)', () => {
    for (const value of [marker, null, Symbol(marker), 42]) {
      let caught: unknown;
      try {
        requireTimeZone(value, 'workingHours.timeZone');
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ValidationError);
      const error = caught as ValidationError;
      expect(error.message).toContain('workingHours.timeZone');
      expect(error.issues.map((issue) => issue.path)).toEqual(['workingHours.timeZone']);
      expect(error.message).not.toContain(marker);
      expect(JSON.stringify(error.toProblem())).not.toContain(marker);
    }
  });

  it('reports false instead of a raw TypeError when isIanaTimeZone gets a symbol (raw TypeError in isIanaTimeZone)', () => {
    expect(isIanaTimeZone(Symbol('x') as unknown as string)).toBe(false);
  });
});

describe('Schedule', () => {
  it('parses weekly hours with breaks and date overrides when they are consistent', () => {
    const schedule = Schedule.parse({
      tenantId,
      clinicId,
      staffId: id(),
      timeZone: 'Europe/Berlin',
      weeklyHours: [
        { day: 'monday', start: '08:00', end: '17:00', breaks: [{ start: '12:00', end: '13:00' }] },
      ],
      dateOverrides: [{ date: '2026-12-24', intervals: [] }],
      updatedAt: now,
      version: 1,
    });
    expect(schedule.weeklyHours[0]?.breaks).toHaveLength(1);
    expect(minutesOfDay(LocalTime.parse('24:00'))).toBe(1440);
  });

  it('rejects ranges that end before they start and breaks outside working hours', () => {
    expect(TimeRange.safeParse({ start: '10:00', end: '09:00' }).success).toBe(false);
    expect(WeeklyHours.safeParse({ day: 'monday', start: '10:00', end: '09:00' }).success).toBe(
      false,
    );
    expect(
      WeeklyHours.safeParse({
        day: 'monday',
        start: '08:00',
        end: '12:00',
        breaks: [{ start: '11:00', end: '13:00' }],
      }).success,
    ).toBe(false);
    expect(LocalTime.safeParse('24:30').success).toBe(false);
    expect(DateOverride.safeParse({ date: '2026-02-30', intervals: [] }).success).toBe(false);
  });

  it('rejects two overrides for the same date', () => {
    const result = Schedule.safeParse({
      tenantId,
      clinicId,
      staffId: id(),
      timeZone: 'UTC',
      weeklyHours: [],
      dateOverrides: [
        { date: '2026-12-24', intervals: [] },
        { date: '2026-12-24', intervals: [] },
      ],
      updatedAt: now,
      version: 1,
    });
    expect(result.success).toBe(false);
  });

  it('caps weekly hours, breaks, overrides and override intervals, so one schedule cannot multiply the per-day work of availability without bound', () => {
    const range = { start: '08:00', end: '09:00' };
    const base = { tenantId, clinicId, staffId: id(), timeZone: 'UTC', updatedAt: now, version: 1 };
    const day = { day: 'monday', start: '08:00', end: '17:00' } as const;
    const paths = (value: Record<string, unknown>): string[] =>
      issuesOf(() => parseOrThrow(Schedule, { ...base, ...value }, 'schedule')).map(
        (issue) => issue.path,
      );
    expect(paths({ weeklyHours: Array.from({ length: 101 }, () => day) })).toEqual(['weeklyHours']);
    expect(
      paths({ weeklyHours: [{ ...day, breaks: Array.from({ length: 25 }, () => range) }] }),
    ).toEqual(['weeklyHours.0.breaks']);
    expect(
      paths({
        weeklyHours: [],
        dateOverrides: [{ date: '2026-12-24', intervals: Array.from({ length: 25 }, () => range) }],
      }),
    ).toEqual(['dateOverrides.0.intervals']);
    const overrides = Array.from({ length: 1001 }, (_, index) => ({
      date: new Date(Date.UTC(2026, 0, 1) + index * 86_400_000).toISOString().slice(0, 10),
      intervals: [],
    }));
    expect(paths({ weeklyHours: [], dateOverrides: overrides })).toEqual(['dateOverrides']);
    expect(paths({ weeklyHours: [day], dateOverrides: overrides.slice(0, 1000) })).toEqual([]);
  });
});

describe('Patient', () => {
  const patient = {
    id: id(),
    tenantId,
    givenName: 'Ada',
    familyName: 'Lovelace',
    dateOfBirth: '1815-12-10',
    contact: { phone: '+14155550100', email: 'ada@example.com' },
    address: { line1: '1 Main St', city: 'London', postalCode: 'W1', country: 'GB' },
    nationalId: '123-45-6789',
    consent: { sms: true, email: false, dataProcessing: true, recordedAt: now },
    createdAt: now,
    updatedAt: now,
    version: 0,
  };

  it('parses a full patient and defaults the preferred channel when it is missing', () => {
    expect(Patient.parse(patient).contact.preferredChannel).toBe('sms');
  });

  it('tags every direct identifier and marks the national id sensitive', () => {
    const tags = Object.fromEntries(taggedPaths(Patient).map((tag) => [tag.path, tag.level]));
    expect(tags).toEqual({
      givenName: 'direct',
      familyName: 'direct',
      dateOfBirth: 'direct',
      'contact.phone': 'direct',
      'contact.email': 'direct',
      address: 'direct',
      medicalRecordNumber: 'direct',
      nationalId: 'sensitive',
      notes: 'direct',
    });
    expect(phiLevelOf(Patient.shape.id)).toBeUndefined();
  });

  it('rejects a phone number when it is not E.164', () => {
    expect(
      issuesOf(() =>
        parseOrThrow(Patient, { ...patient, contact: { phone: '555-0100' } }, 'patient'),
      ),
    ).toEqual([
      { path: 'contact.phone', message: 'must be an E.164 phone number, such as +14155550100' },
    ]);
  });
});

describe('Appointment', () => {
  const appointment = {
    id: id(),
    tenantId,
    clinicId,
    patientId: id(),
    staffId: id(),
    serviceTypeId: id(),
    status: 'booked',
    start: '2026-03-02T09:00:00Z',
    end: '2026-03-02T09:15:00Z',
    createdAt: now,
    updatedAt: now,
    version: 0,
  };

  it('parses a booked appointment when start is before end', () => {
    expect(Appointment.parse(appointment).lateCancel).toBe(false);
  });

  it('reports the end field when the appointment ends before it starts', () => {
    expect(
      issuesOf(() =>
        parseOrThrow(Appointment, { ...appointment, end: '2026-03-02T08:00:00Z' }, 'appointment'),
      ),
    ).toEqual([{ path: 'end', message: 'must end after it starts' }]);
  });

  it('rejects a status when it is not a FHIR AppointmentStatus code', () => {
    expect(Appointment.safeParse({ ...appointment, status: 'confirmed' }).success).toBe(false);
  });
});

describe('other aggregates', () => {
  it('parse valid records and tag their contact fields', () => {
    expect(
      ServiceType.parse({
        id: id(),
        tenantId,
        clinicId,
        name: 'Flu shot',
        durationMinutes: 15,
        createdAt: now,
        updatedAt: now,
        version: 0,
      }).bufferAfterMinutes,
    ).toBe(0);
    expect(
      Staff.parse({
        id: id(),
        tenantId,
        displayName: 'Dr. Who',
        email: 'who@example.com',
        roles: ['clinician'],
        clinicIds: [clinicId],
        createdAt: now,
        updatedAt: now,
        version: 0,
      }).active,
    ).toBe(true);
    expect(
      QueueEntry.parse({
        id: id(),
        tenantId,
        clinicId,
        queueId: id(),
        source: 'walk-in',
        status: 'waiting',
        ticket: 'A012',
        checkedInAt: now,
        effectiveAt: now,
        updatedAt: now,
        version: 0,
      }).priority,
    ).toBe(0);
    expect(
      Invitation.parse({
        id: id(),
        tenantId,
        email: 'new@example.com',
        roles: ['receptionist'],
        clinicIds: [],
        status: 'pending',
        tokenHash: 'a'.repeat(64),
        invitedBy: id(),
        expiresAt: now,
        createdAt: now,
        version: 0,
      }).status,
    ).toBe('pending');
    expect(taggedPaths(modelSchemas.Invitation).map((tag) => tag.path)).toEqual(['email']);
    expect(taggedPaths(modelSchemas.Staff).map((tag) => tag.path)).toEqual(['email']);
    expect(taggedPaths(modelSchemas.QueueEntry).map((tag) => tag.path)).toEqual(['guestName']);
    expect(taggedPaths(modelSchemas.Appointment).map((tag) => tag.path)).toEqual(['notes']);
    expect(taggedPaths(modelSchemas.Clinic)).toEqual([]);
  });
});
