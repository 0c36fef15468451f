/**
 * The staff aggregate: people who work at clinics, with their roles.
 *
 * @packageDocumentation
 */
import { z } from 'zod';
import { ClinicId, StaffId, TenantId, UserId } from '../ids.js';
import { STAFF_ROLES } from '../authorization/role-permissions.js';
import { phi } from '../phi.js';
import { Timestamp, Version } from './common.js';
import { singleLine } from './text.js';

/**
 * A staff role: one of the authorization roles held by clinic staff.
 *
 * @example
 * ```ts
 * StaffRole.parse('receptionist');
 * ```
 */
export const StaffRole = z.enum(STAFF_ROLES);
/** A parsed {@link StaffRole}. */
export type StaffRole = z.output<typeof StaffRole>;

/**
 * A staff member. The display name is shown to patients; the email is a contact detail and is
 * tagged as a direct identifier.
 *
 * @example
 * ```ts
 * const staff = parseOrThrow(Staff, row, 'staff member');
 * ```
 */
export const Staff = z.object({
  id: StaffId,
  tenantId: TenantId,
  /** The account the staff member signs in with, once they accepted their invitation. */
  userId: UserId.optional(),
  displayName: singleLine(z.string().trim().min(1).max(200)),
  email: phi('direct', z.email().max(320)),
  roles: z.array(StaffRole).min(1),
  clinicIds: z.array(ClinicId),
  active: z.boolean().default(true),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  version: Version,
});
/** A parsed {@link Staff}. */
export type Staff = z.output<typeof Staff>;
