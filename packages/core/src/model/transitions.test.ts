import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConflictError, isCarequeueError } from '../errors.js';
import { APPOINTMENT_STATUSES, appointmentTransitions } from './appointment.js';
import { INVITATION_STATUSES, invitationTransitions } from './invitation.js';
import { QUEUE_ENTRY_STATUSES, queueEntryTransitions } from './queue-entry.js';
import {
  assertTransition,
  canTransition,
  InvalidTransitionError,
  terminalStatuses,
  type TransitionTable,
} from './transitions.js';

const tables: [TransitionTable<string>, readonly string[]][] = [
  [appointmentTransitions, APPOINTMENT_STATUSES],
  [queueEntryTransitions, QUEUE_ENTRY_STATUSES],
  [invitationTransitions, INVITATION_STATUSES],
];

describe('transition tables', () => {
  it.each(tables)('list every status exactly once when read as data (%#)', (table, statuses) => {
    expect(Object.keys(table.transitions).sort()).toEqual([...statuses].sort());
    for (const targets of Object.values(table.transitions)) {
      expect(targets.every((target) => statuses.includes(target))).toBe(true);
    }
    expect(table.initial.every((status) => statuses.includes(status))).toBe(true);
  });

  it('follow the FHIR appointment state machine when read for appointments', () => {
    const allowed = Object.entries(appointmentTransitions.transitions).flatMap(([from, targets]) =>
      targets.filter((to) => to !== 'entered-in-error').map((to) => `${from}->${to}`),
    );
    expect(allowed.sort()).toEqual(
      [
        'proposed->pending',
        'proposed->booked',
        'pending->booked',
        'pending->cancelled',
        'waitlist->booked',
        'waitlist->cancelled',
        'booked->arrived',
        'booked->checked-in',
        'arrived->checked-in',
        'booked->cancelled',
        'booked->noshow',
        'arrived->fulfilled',
        'arrived->noshow',
        'checked-in->fulfilled',
      ].sort(),
    );
    for (const status of APPOINTMENT_STATUSES.filter((s) => s !== 'entered-in-error')) {
      expect(canTransition(appointmentTransitions, status, 'entered-in-error')).toBe(true);
    }
    expect(terminalStatuses(appointmentTransitions)).toEqual(['entered-in-error']);
  });

  it('follow the queue state machine when read for queue entries', () => {
    expect(canTransition(queueEntryTransitions, 'called', 'waiting')).toBe(true);
    expect(canTransition(queueEntryTransitions, 'away', 'waiting')).toBe(true);
    expect(canTransition(queueEntryTransitions, 'waiting', 'completed')).toBe(false);
    expect(terminalStatuses(queueEntryTransitions).sort()).toEqual(
      ['cancelled', 'completed', 'left', 'no_show', 'transferred'].sort(),
    );
  });
});

describe('assertTransition', () => {
  it('agrees with canTransition for every pair of statuses', () => {
    fc.assert(
      fc.property(
        fc
          .constantFrom(...tables)
          .chain(([table, statuses]) =>
            fc.tuple(
              fc.constant(table),
              fc.constantFrom(...statuses),
              fc.constantFrom(...statuses),
            ),
          ),
        ([table, from, to]) => {
          if (canTransition(table, from, to)) {
            expect(() => assertTransition(table, from, to)).not.toThrow();
          } else {
            expect(() => assertTransition(table, from, to)).toThrow(InvalidTransitionError);
          }
        },
      ),
    );
  });

  it('throws a conflict with code INVALID_TRANSITION when the move is not allowed', () => {
    let caught: unknown;
    try {
      assertTransition(queueEntryTransitions, 'completed', 'waiting');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConflictError);
    expect(isCarequeueError(caught)).toBe(true);
    const error = caught as InvalidTransitionError;
    expect(error.toJSON()).toEqual({
      name: 'InvalidTransitionError',
      code: 'INVALID_TRANSITION',
      status: 409,
      message:
        'The queue entry cannot move from completed to waiting. Reload it and check its current status.',
    });
    expect([error.entity, error.from, error.to]).toEqual(['queue entry', 'completed', 'waiting']);
  });

  it('refuses a status the table does not know when one is given at runtime', () => {
    expect(canTransition(queueEntryTransitions, 'bogus' as never, 'waiting')).toBe(false);
  });
});
