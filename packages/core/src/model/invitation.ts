/**
 * The invitation aggregate: an expiring offer for someone to join a tenant as staff.
 *
 * @packageDocumentation
 */
import { z } from 'zod';
import { ClinicId, InvitationId, StaffId, TenantId, UserId } from '../ids.js';
import { phi } from '../phi.js';
import { Timestamp, Version } from './common.js';
import { StaffRole } from './staff.js';
import type { TransitionTable } from './transitions.js';

/**
 * Invitation statuses.
 *
 * @example
 * ```ts
 * INVITATION_STATUSES.includes('accepted'); // true
 * ```
 */
export const INVITATION_STATUSES = ['pending', 'accepted', 'revoked', 'expired'] as const;

/**
 * An invitation status.
 *
 * @example
 * ```ts
 * InvitationStatus.parse('pending');
 * ```
 */
export const InvitationStatus = z.enum(INVITATION_STATUSES);
/** A parsed {@link InvitationStatus}. */
export type InvitationStatus = z.output<typeof InvitationStatus>;

/**
 * The invitation state machine.
 *
 * @example
 * ```ts
 * canTransition(invitationTransitions, 'pending', 'accepted'); // true
 * ```
 */
export const invitationTransitions: TransitionTable<InvitationStatus> = {
  entity: 'invitation',
  initial: ['pending'],
  transitions: {
    pending: ['accepted', 'revoked', 'expired'],
    accepted: [],
    revoked: [],
    expired: [],
  },
};

/**
 * An invitation. Only a hash of its token is stored; the token itself travels in the link.
 *
 * @example
 * ```ts
 * const invitation = parseOrThrow(Invitation, row, 'invitation');
 * ```
 */
export const Invitation = z.object({
  id: InvitationId,
  tenantId: TenantId,
  email: phi('direct', z.email().max(320)),
  roles: z.array(StaffRole).min(1),
  clinicIds: z.array(ClinicId),
  status: InvitationStatus,
  /** SHA-256 of the invitation token, hex. */
  tokenHash: z.string().regex(/^[0-9a-f]{64}$/, { message: 'must be a hex SHA-256 digest' }),
  invitedBy: UserId,
  expiresAt: Timestamp,
  acceptedAt: Timestamp.optional(),
  /** The staff record created on acceptance. */
  staffId: StaffId.optional(),
  createdAt: Timestamp,
  version: Version,
});
/** A parsed {@link Invitation}. */
export type Invitation = z.output<typeof Invitation>;
