import { z } from 'zod';
import { ClinicId, PatientId, StaffId, TenantId, UserId } from '../ids.js';

/**
 * Every role an actor can hold. Staff roles (`owner`, `admin`, `clinician`, `receptionist`) are
 * scoped to clinics; `patient` acts only on their own records; `service` is a background worker.
 *
 * @example
 * ```ts
 * import { ROLES } from '@carequeue/core';
 *
 * ROLES.includes('clinician'); // true
 * ```
 */
export const ROLES = ['owner', 'admin', 'clinician', 'receptionist', 'patient', 'service'] as const;

/**
 * One of {@link ROLES}.
 *
 * @example
 * ```ts
 * const role: Role = 'receptionist';
 * ```
 */
export type Role = (typeof ROLES)[number];

/**
 * Authenticator assurance levels (NIST SP 800-63B), as carried by the `aal` claim of a Supabase
 * JWT: `aal1` is one factor, `aal2` and `aal3` are multi-factor.
 *
 * @example
 * ```ts
 * const level: AssuranceLevel = 'aal2';
 * ```
 */
export type AssuranceLevel = 'aal1' | 'aal2' | 'aal3';

/**
 * The assurance levels in increasing order of strength.
 *
 * @example
 * ```ts
 * ASSURANCE_LEVELS.indexOf('aal2') >= ASSURANCE_LEVELS.indexOf('aal1'); // true
 * ```
 */
export const ASSURANCE_LEVELS = [
  'aal1',
  'aal2',
  'aal3',
] as const satisfies readonly AssuranceLevel[];

/**
 * Validates an {@link Actor}, such as one built from verified JWT claims.
 *
 * @example
 * ```ts
 * const actor = ActorSchema.parse({
 *   userId: claims.sub,
 *   tenantId: claims.app_metadata.tenant_id,
 *   roles: claims.app_metadata.roles,
 *   aal: claims.aal,
 *   staffId: claims.app_metadata.staff_id,
 *   clinicIds: claims.app_metadata.clinic_ids,
 * });
 * ```
 */
export const ActorSchema = z.object({
  userId: UserId,
  tenantId: TenantId,
  roles: z.array(z.enum(ROLES)).min(1),
  aal: z.enum(ASSURANCE_LEVELS),
  patientId: PatientId.optional(),
  staffId: StaffId.optional(),
  clinicIds: z.array(ClinicId).optional(),
});

/**
 * Who is acting: the authenticated user, their tenant, roles and MFA level, and the records that
 * scope them (a patient's own patient id; a staff member's staff id and clinics).
 *
 * @example
 * ```ts
 * const receptionist: Actor = {
 *   userId,
 *   tenantId,
 *   roles: ['receptionist'],
 *   aal: 'aal2',
 *   staffId,
 *   clinicIds: [clinicId],
 * };
 * ```
 */
export type Actor = z.infer<typeof ActorSchema>;
