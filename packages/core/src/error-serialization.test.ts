import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CarequeueError } from './errors.js';
import {
  ConflictError,
  ExternalServiceError,
  ForbiddenError,
  InternalError,
  NotFoundError,
  RateLimitedError,
  TimeoutError,
  toCarequeueError,
  UnauthorizedError,
  ValidationError,
} from './errors.js';
import { parseId, PatientId } from './ids.js';
import {
  Appointment,
  appointmentTransitions,
  assertTransition,
  Patient,
  QueueEntry,
} from './model/index.js';
import { parseOrThrow } from './validation.js';

const MARK = 'PHI\u00a7';
const hostileText = fc.string({ minLength: 0, maxLength: 16 }).map((text) => `${MARK}${text}`);
const hostile: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    hostileText,
    fc.integer(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(
      fc.oneof(hostileText, fc.constantFrom('givenName', 'contact', 'phone', 'start', 'status')),
      tie('value'),
      {
        maxKeys: 4,
      },
    ),
  ),
})).value;

function serialized(error: CarequeueError): string {
  return JSON.stringify([error.toJSON(), error.toProblem('urn:correlation:1'), error.message]);
}

function thrownBy(run: () => unknown): CarequeueError {
  try {
    run();
  } catch (error) {
    return toCarequeueError(error);
  }
  throw new Error('expected a throw');
}

describe('error serialization', () => {
  it('never contains hostile input when errors wrap it as cause', () => {
    fc.assert(
      fc.property(hostile, hostileText, (input, text) => {
        const cause = { input, error: new Error(text, { cause: input }) };
        const errors: CarequeueError[] = [
          new ValidationError('The patient is invalid.', [], { cause }),
          new NotFoundError('patient', { cause }),
          new ConflictError('The slot was taken.', { cause }),
          new UnauthorizedError(undefined, { cause }),
          new ForbiddenError('patient:read', undefined, { cause }),
          new RateLimitedError(1000, undefined, { cause }),
          new TimeoutError('sms.send', 5000, { cause }),
          new ExternalServiceError('twilio', 'Twilio answered 503.', { cause }),
          new InternalError(undefined, { cause }),
          toCarequeueError(input),
          toCarequeueError(new Error(text)),
          toCarequeueError(text),
        ];
        for (const error of errors) expect(serialized(error)).not.toContain(MARK);
      }),
      { numRuns: 200 },
    );
  });

  it('never contains hostile input when ValidationErrors come from parsing model schemas', () => {
    fc.assert(
      fc.property(fc.constantFrom(Patient, Appointment, QueueEntry), hostile, (schema, input) => {
        const error = thrownBy(() => parseOrThrow(schema, input, 'record'));
        expect(error).toBeInstanceOf(ValidationError);
        expect(serialized(error)).not.toContain(MARK);
      }),
      { numRuns: 300 },
    );
  });

  it('never contains hostile input when ids or statuses are hostile', () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        expect(serialized(thrownBy(() => parseId(PatientId, text)))).not.toContain(MARK);
        expect(
          serialized(
            thrownBy(() => assertTransition(appointmentTransitions, 'booked', text as 'booked')),
          ),
        ).not.toContain(MARK);
      }),
    );
  });

  it('names an unknown status generically when a transition target is not in the table', () => {
    expect(
      thrownBy(() => assertTransition(appointmentTransitions, 'bogus' as 'booked', 'booked'))
        .message,
    ).toBe(
      'The appointment cannot move from an unknown status to booked. Reload it and check its current status.',
    );
  });
});
