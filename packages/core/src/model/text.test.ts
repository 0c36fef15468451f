import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createDeterministicIdGenerator } from '../id-generator.js';
import { ValidationError } from '../errors.js';
import { parseOrThrow } from '../validation.js';
import {
  Appointment,
  Clinic,
  isMultiLineText,
  isSingleLineText,
  MULTI_LINE_TEXT_MESSAGE,
  multiLine,
  Patient,
  QueueEntry,
  Schedule,
  ServiceType,
  SINGLE_LINE_TEXT_MESSAGE,
  singleLine,
  Staff,
} from './index.js';

const ids = createDeterministicIdGenerator({ seed: 19 });
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

const patient = {
  id: id(),
  tenantId,
  givenName: 'Ada',
  familyName: 'Lovelace',
  dateOfBirth: '1815-12-10',
  contact: { phone: '+14155550100' },
  consent: { sms: true, email: false, dataProcessing: true, recordedAt: now },
  createdAt: now,
  updatedAt: now,
  version: 0,
};

describe('isSingleLineText', () => {
  it('accepts letters of any script, spaces and paired surrogates (emoji) when text is one line', () => {
    for (const text of ['Ada Lovelace', "O'Brien-Łukasz", '山田 太郎', 'Zoë 🙂', '']) {
      expect(isSingleLineText(text)).toBe(true);
    }
  });

  it('refuses NUL, every other C0 control, DEL, C1 controls and Unicode line separators', () => {
    const refused = [
      ...Array.from({ length: 0x20 }, (_, code) => String.fromCharCode(code)),
      '\u007f',
      '\u0085',
      '\u009f',
      '\u2028',
      '\u2029',
    ];
    for (const character of refused) expect(isSingleLineText(`Ada${character}x`)).toBe(false);
  });

  it('refuses a lone surrogate, which the Postgres driver would store as U+FFFD', () => {
    expect(isSingleLineText('Ada\ud83d')).toBe(false);
    expect(isSingleLineText('\ude42Ada')).toBe(false);
    expect(isSingleLineText('Ada\ud83d\ude42')).toBe(true);
  });
});

describe('isMultiLineText', () => {
  it('keeps tab and line breaks in free text', () => {
    expect(isMultiLineText('Prefers mornings.\r\n\tCall first.\n')).toBe(true);
  });

  it('refuses NUL, the other C0 controls, DEL, C1 controls and lone surrogates', () => {
    for (const text of ['a\u0000b', 'a\u0007b', 'a\u001bb', 'a\u007fb', 'a\u0090b', 'a\udc00b']) {
      expect(isMultiLineText(text)).toBe(false);
    }
  });

  it('agrees with isSingleLineText on every UTF-16 code unit but tab, line breaks and separators', () => {
    const kept = new Set([0x09, 0x0a, 0x0d, 0x2028, 0x2029]);
    for (let code = 0; code <= 0xffff; code += 1) {
      if (kept.has(code)) continue;
      const text = `a${String.fromCharCode(code)}b`;
      if (isMultiLineText(text) !== isSingleLineText(text)) expect.fail(`code unit ${code}`);
    }
  });
});

describe('singleLine and multiLine', () => {
  it('name the field with a constant message when they refuse', () => {
    expect(
      issuesOf(() =>
        parseOrThrow(z.object({ notes: multiLine(z.string()) }), { notes: 'a\u0000' }, 'note'),
      ),
    ).toEqual([{ path: 'notes', message: MULTI_LINE_TEXT_MESSAGE }]);
    const Note = z.object({ title: singleLine(z.string()), notes: multiLine(z.string()) });
    expect(issuesOf(() => parseOrThrow(Note, { title: 'a\tb', notes: 'a\tb' }, 'note'))).toEqual([
      { path: 'title', message: SINGLE_LINE_TEXT_MESSAGE },
    ]);
  });
});

describe('model string fields', () => {
  it('refuse a NUL byte in a patient name instead of letting Postgres answer 502', () => {
    const issues = issuesOf(() =>
      parseOrThrow(Patient, { ...patient, givenName: 'Ada\u0000' }, 'patient'),
    );
    expect(issues).toEqual([{ path: 'givenName', message: SINGLE_LINE_TEXT_MESSAGE }]);
    expect(JSON.stringify(issues)).not.toContain('Ada');
  });

  it('refuse control characters in every single-line field and NUL in free text', () => {
    const bad = 'x\u0000y';
    const cases: [z.ZodType, Record<string, unknown>, string][] = [
      [Patient, { ...patient, familyName: bad }, 'familyName'],
      [Patient, { ...patient, medicalRecordNumber: 'MRN\n1' }, 'medicalRecordNumber'],
      [Patient, { ...patient, nationalId: '123\t456' }, 'nationalId'],
      [Patient, { ...patient, notes: bad }, 'notes'],
      [
        Patient,
        { ...patient, address: { line1: bad, city: 'London', postalCode: 'W1', country: 'GB' } },
        'address.line1',
      ],
      [
        Clinic,
        {
          id: clinicId,
          tenantId,
          name: 'No\rrth',
          timeZone: 'UTC',
          createdAt: now,
          updatedAt: now,
          version: 0,
        },
        'name',
      ],
      [
        ServiceType,
        {
          id: id(),
          tenantId,
          clinicId,
          name: bad,
          durationMinutes: 15,
          createdAt: now,
          updatedAt: now,
          version: 0,
        },
        'name',
      ],
      [
        Staff,
        {
          id: id(),
          tenantId,
          displayName: 'Dr\u0007 Who',
          email: 'dr@example.org',
          roles: ['clinician'],
          clinicIds: [],
          createdAt: now,
          updatedAt: now,
          version: 0,
        },
        'displayName',
      ],
      [
        Schedule,
        {
          tenantId,
          clinicId,
          staffId: id(),
          timeZone: 'UTC',
          weeklyHours: [],
          dateOverrides: [{ date: '2026-12-24', intervals: [], reason: bad }],
          updatedAt: now,
          version: 0,
        },
        'dateOverrides.0.reason',
      ],
      [
        QueueEntry,
        {
          id: id(),
          tenantId,
          clinicId,
          queueId: id(),
          source: 'walk-in',
          status: 'waiting',
          ticket: 'W001',
          guestName: bad,
          checkedInAt: now,
          effectiveAt: now,
          updatedAt: now,
          version: 0,
        },
        'guestName',
      ],
      [
        QueueEntry,
        {
          id: id(),
          tenantId,
          clinicId,
          queueId: id(),
          source: 'walk-in',
          status: 'waiting',
          ticket: 'W001',
          counter: 'Desk\n2',
          checkedInAt: now,
          effectiveAt: now,
          updatedAt: now,
          version: 0,
        },
        'counter',
      ],
      [
        Appointment,
        {
          id: id(),
          tenantId,
          clinicId,
          patientId: id(),
          staffId: id(),
          serviceTypeId: id(),
          status: 'booked',
          start: now,
          end: '2026-03-01T09:30:00Z',
          notes: bad,
          createdAt: now,
          updatedAt: now,
          version: 0,
        },
        'notes',
      ],
    ];
    for (const [schema, value, path] of cases) {
      expect(
        issuesOf(() => parseOrThrow(schema, value, 'record')).map((issue) => issue.path),
      ).toEqual([path]);
    }
  });

  it('keep line breaks in patient and appointment notes', () => {
    expect(Patient.parse({ ...patient, notes: 'Line one.\n\tLine two.' }).notes).toContain('\n');
  });
});
