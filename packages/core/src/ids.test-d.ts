import { describe, expectTypeOf, it } from 'vitest';
import { parseId, PatientId } from './ids.js';
import type { AppointmentId, ClinicId, TenantId, UserId } from './ids.js';

describe('branded ids', () => {
  it('keeps a PatientId from being used as an AppointmentId', () => {
    expectTypeOf<PatientId>().not.toExtend<AppointmentId>();
    expectTypeOf<AppointmentId>().not.toExtend<PatientId>();
    expectTypeOf<TenantId>().not.toExtend<ClinicId>();
  });

  it('refuses a plain string where an id is expected', () => {
    expectTypeOf<string>().not.toExtend<UserId>();
    expectTypeOf<PatientId>().toExtend<string>();
  });

  it('brands the input side too so parsed ids can be passed back in', () => {
    expectTypeOf<typeof PatientId._zod.input>().toEqualTypeOf<PatientId>();
  });

  it('returns the branded type from parseId', () => {
    expectTypeOf(parseId(PatientId, 'x')).toEqualTypeOf<PatientId>();
  });

  it('rejects passing a PatientId to a function that takes an AppointmentId', () => {
    const cancel = (id: AppointmentId): AppointmentId => id;
    const patientId = parseId(PatientId, '0194b3c2-7f1a-7c3e-9d2b-4a5e6f708192');
    // @ts-expect-error a PatientId is not an AppointmentId
    cancel(patientId);
  });
});
