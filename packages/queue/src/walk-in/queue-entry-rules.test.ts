import {
  ClinicId,
  QueueEntryId,
  QueueId,
  ServiceTypeId,
  StaffId,
  TenantId,
  uuidv7,
} from '@carequeue/core';
import { describe, expect, it } from 'vitest';
import type { StoredQueueEntry } from './queue-entry-record.js';
import { serviceTypeOf, ticketFor, waitsAhead, withoutCall } from './queue-entry-rules.js';

const at = '2026-03-02T09:00:00.000Z';

function entry(overrides: Partial<StoredQueueEntry> = {}): StoredQueueEntry {
  return {
    id: QueueEntryId.parse(uuidv7()),
    tenantId: TenantId.parse(uuidv7()),
    clinicId: ClinicId.parse(uuidv7()),
    queueId: QueueId.parse(uuidv7()),
    source: 'walk-in',
    status: 'waiting',
    priority: 0,
    ticket: 'W001',
    checkedInAt: at,
    effectiveAt: at,
    recallCount: 0,
    updatedAt: at,
    version: 0,
    orderingKey: Date.parse(at),
    ...overrides,
  };
}

describe('ticketFor', () => {
  it('marks how the entry joined with a letter and pads the number to three digits', () => {
    expect(ticketFor('walk-in', 7)).toBe('W007');
    expect(ticketFor('appointment', 42)).toBe('A042');
    expect(ticketFor('transfer', 999)).toBe('T999');
  });

  it('keeps the last three digits when a busy line passes ticket 999', () => {
    expect(ticketFor('walk-in', 1000)).toBe('W000');
    expect(ticketFor('walk-in', 1234)).toBe('W234');
  });
});

describe('waitsAhead', () => {
  it('puts a waiting entry with a smaller ordering key ahead', () => {
    const mine = entry({ orderingKey: 2_000 });
    expect(waitsAhead(entry({ orderingKey: 1_000 }), mine)).toBe(true);
    expect(waitsAhead(entry({ orderingKey: 3_000 }), mine)).toBe(false);
  });

  it('breaks a tie on the ordering key by id, as call-next does', () => {
    const [first, second] = [entry(), entry()].sort((a, b) => (a.id < b.id ? -1 : 1)) as [
      StoredQueueEntry,
      StoredQueueEntry,
    ];
    expect(waitsAhead(first, second)).toBe(true);
    expect(waitsAhead(second, first)).toBe(false);
    expect(waitsAhead(first, first)).toBe(false);
  });

  it('never counts an entry that is not waiting, whatever its key', () => {
    const mine = entry({ orderingKey: 2_000 });
    for (const status of ['away', 'called', 'in_service', 'completed'] as const) {
      expect(waitsAhead(entry({ status, orderingKey: 1_000 }), mine)).toBe(false);
    }
  });
});

describe('withoutCall', () => {
  it('drops the counter and caller of the last call and keeps the rest', () => {
    const called = entry({
      status: 'called',
      counter: 'Room 2',
      calledBy: StaffId.parse(uuidv7()),
      calledAt: at,
    });
    const { counter: _counter, calledBy: _calledBy, ...rest } = called;
    const back = withoutCall(called);
    expect(back).toEqual(rest);
    expect(Object.keys(back)).not.toContain('counter');
    expect(Object.keys(back)).not.toContain('calledBy');
  });
});

describe('serviceTypeOf', () => {
  it('tracks an entry under its service type, or "default" without one', () => {
    const serviceTypeId = ServiceTypeId.parse(uuidv7());
    expect(serviceTypeOf(entry({ serviceTypeId }))).toBe(serviceTypeId);
    expect(serviceTypeOf(entry())).toBe('default');
  });
});
