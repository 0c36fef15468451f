import { describe, expect, it } from 'vitest';
import { ActorSchema } from './actor.js';

describe('ActorSchema', () => {
  it('accepts a staff actor with clinics when every field is valid', () => {
    const input = {
      userId: '0190a000-0000-7000-8000-0000000000f1',
      tenantId: '0190a000-0000-7000-8000-000000000001',
      roles: ['receptionist'],
      aal: 'aal2',
      staffId: '0190a000-0000-7000-8000-0000000000b1',
      clinicIds: ['0190a000-0000-7000-8000-0000000000c1'],
    };
    expect(ActorSchema.parse(input)).toEqual(input);
  });

  it('rejects an actor when it has no role or an unknown assurance level', () => {
    const base = { userId: 'u', tenantId: 't' };
    expect(ActorSchema.safeParse({ ...base, roles: [], aal: 'aal1' }).success).toBe(false);
    expect(ActorSchema.safeParse({ ...base, roles: ['patient'], aal: 'aal9' }).success).toBe(false);
  });
});
