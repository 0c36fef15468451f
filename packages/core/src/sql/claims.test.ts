import { describe, expect, it } from 'vitest';
import { ActorSchema } from '../authorization/actor.js';
import { claimsForActor } from './claims.js';

describe('claimsForActor', () => {
  it('puts tenant, roles and scope into app_metadata when the actor has them', () => {
    const actor = ActorSchema.parse({
      userId: '0190a000-0000-7000-8000-0000000000f1',
      tenantId: '0190a000-0000-7000-8000-000000000001',
      roles: ['clinician'],
      aal: 'aal2',
      staffId: '0190a000-0000-7000-8000-0000000000b1',
      clinicIds: ['0190a000-0000-7000-8000-0000000000c1'],
    });
    expect(claimsForActor(actor)).toEqual({
      sub: actor.userId,
      role: 'authenticated',
      aal: 'aal2',
      app_metadata: {
        tenant_id: actor.tenantId,
        roles: ['clinician'],
        staff_id: actor.staffId,
        clinic_ids: actor.clinicIds,
      },
    });
  });

  it('links a patient to their own patient id', () => {
    const actor = ActorSchema.parse({
      userId: '0190a000-0000-7000-8000-0000000000f2',
      tenantId: '0190a000-0000-7000-8000-000000000001',
      roles: ['patient'],
      aal: 'aal1',
      patientId: '0190a000-0000-7000-8000-0000000000a1',
    });
    expect(claimsForActor(actor).app_metadata).toEqual({
      tenant_id: actor.tenantId,
      roles: ['patient'],
      patient_id: actor.patientId,
    });
  });
});
