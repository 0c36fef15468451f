import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from './errors.js';
import { createDeterministicIdGenerator } from './id-generator.js';
import { AppointmentId, idSchemas, newId, parseId, PatientId } from './ids.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** Put in front of generated ids; no message may contain it. */
const ECHO_MARKER = 'qz7echo3marker';

describe('parseId', () => {
  it('returns the id unchanged when it is a UUID', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.constantFrom(...Object.values(idSchemas)), (uuid, schema) => {
        expect(parseId(schema, uuid)).toBe(uuid);
      }),
    );
  });

  it('throws a ValidationError that does not contain the input when it is not a UUID', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string().map((text) => `${ECHO_MARKER}${text}`),
          fc.integer(),
          fc.constant(null),
          fc.object(),
        ),
        fc.constantFrom(...Object.values(idSchemas)),
        (input, schema) => {
          fc.pre(!(typeof input === 'string' && UUID.test(input)));
          let caught: unknown;
          try {
            parseId(schema, input);
          } catch (error) {
            caught = error;
          }
          expect(caught).toBeInstanceOf(ValidationError);
          const error = caught as ValidationError;
          expect(error.code).toBe('VALIDATION_FAILED');
          expect(error.issues.length).toBeGreaterThan(0);
          // A marked input shows an echo by its marker; checking any short input instead failed
          // whenever fast-check generated a word the message holds anyway ("name", "must").
          expect(JSON.stringify(error.toJSON())).not.toContain(ECHO_MARKER);
        },
      ),
    );
  });

  it('says the id is required when it is missing', () => {
    expect(() => parseId(PatientId, undefined)).toThrow(ValidationError);
    try {
      parseId(PatientId, undefined);
    } catch (error) {
      expect((error as ValidationError).issues).toEqual([{ path: '', message: 'is required' }]);
    }
  });
});

describe('newId', () => {
  it('mints a valid branded id of the requested kind when given a generator', () => {
    const ids = createDeterministicIdGenerator({ seed: 3 });
    const id = newId(AppointmentId, ids);
    expect(AppointmentId.safeParse(id).success).toBe(true);
    expect(newId(AppointmentId, ids)).not.toBe(id);
  });
});
