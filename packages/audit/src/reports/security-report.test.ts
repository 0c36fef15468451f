import { randomUUID } from 'node:crypto';
import { ValidationError } from '@carequeue/core';
import { describe, expect, it } from 'vitest';
import { memoryAuditStore } from '../adapters/memory.js';
import type { AuditStore } from '../audit-store.js';
import { sampleAuditEvent } from '../testing/sample-event.js';
import { DEFAULT_WORKING_HOURS, localTime, securityReport } from './security-report.js';

// A zone name that is PHI-like and unknown to Intl: it must never come back in an error.
const ZONE = 'Jane_Doe/1970-01-01';

async function refusalOf(run: () => unknown): Promise<ValidationError> {
  try {
    await run();
  } catch (error: unknown) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error('expected a ValidationError');
}

describe('securityReport', () => {
  it('refuses an invalid working-hours time zone with a ValidationError naming it, without echoing it, before reading the trail (a RangeError quoting it before)', async () => {
    const tenantId = randomUUID();
    const inner = memoryAuditStore();
    await inner.append([sampleAuditEvent({ tenantId, patientId: 'p-1' })]);
    let reads = 0;
    const store: AuditStore = { ...inner, query: (query) => ((reads += 1), inner.query(query)) };
    const error = await refusalOf(() =>
      securityReport(store, {
        tenantId,
        workingHours: { ...DEFAULT_WORKING_HOURS, timeZone: ZONE },
      }),
    );
    expect(error.issues).toEqual([
      { path: 'options.workingHours.timeZone', message: expect.any(String) as unknown },
    ]);
    expect(JSON.stringify(error.toJSON())).not.toContain('Jane_Doe');
    expect(error.message).not.toContain('Jane_Doe');
    expect(reads).toBe(0);
  });

  it('refuses working hours out of range or reversed, and days outside 1 to 7, before reading the trail', async () => {
    const tenantId = randomUUID();
    for (const [workingHours, path] of [
      [{ ...DEFAULT_WORKING_HOURS, start: -1 }, 'options.workingHours.start'],
      [{ ...DEFAULT_WORKING_HOURS, end: 25 }, 'options.workingHours.end'],
      [{ ...DEFAULT_WORKING_HOURS, start: 19, end: 7 }, 'options.workingHours.start'],
      [{ ...DEFAULT_WORKING_HOURS, days: [0] }, 'options.workingHours.days.0'],
    ] as const) {
      const error = await refusalOf(() =>
        securityReport(memoryAuditStore(), { tenantId, workingHours }),
      );
      expect(error.issues[0]?.path).toBe(path);
    }
  });
});

describe('localTime', () => {
  it('refuses an unknown time zone with a ValidationError naming timeZone, without echoing it', async () => {
    const error = await refusalOf(() => localTime(new Date(), ZONE));
    expect(error.issues[0]?.path).toBe('timeZone');
    expect(JSON.stringify(error.toJSON())).not.toContain('Jane_Doe');
  });
});
