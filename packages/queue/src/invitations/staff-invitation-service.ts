import {
  authorize,
  ForbiddenError,
  InvitationId,
  NotFoundError,
  StaffId,
  uuidv7,
  type Actor,
  type ClinicId,
  type Clock,
  type Invitation,
  type Staff,
  type StaffRole,
  type UserId,
} from '@carequeue/core';
import type { Page, PageRequest } from '../pagination.js';
import type { StaffRepository } from '../staff/staff-repository.js';
import { InvitationNotUsableError } from './invitation-errors.js';
import type { InvitationRepository } from './invitation-repository.js';
import { hashInvitationToken, newInvitationToken } from './invitation-token.js';

/**
 * How long an invitation can be accepted, in milliseconds.
 *
 * @example
 * ```ts
 * createStaffInvitationService({ ...deps, ttlMs: DEFAULT_INVITATION_TTL_MS / 7 });
 * ```
 */
export const DEFAULT_INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Dependencies and settings of {@link createStaffInvitationService}.
 *
 * @example
 * ```ts
 * const options: StaffInvitationServiceOptions = { invitations, staff, clock: systemClock };
 * ```
 */
export interface StaffInvitationServiceOptions {
  readonly invitations: InvitationRepository;
  readonly staff: StaffRepository;
  readonly clock: Clock;
  /**
   * How long an invitation stays acceptable, in milliseconds.
   *
   * @default DEFAULT_INVITATION_TTL_MS
   */
  readonly ttlMs?: number;
}

/**
 * What to invite someone as.
 *
 * @example
 * ```ts
 * const request: InviteRequest = { email: 'new@clinic.example', roles: ['receptionist'], clinicIds: [clinicId] };
 * ```
 */
export interface InviteRequest {
  readonly email: string;
  readonly roles: readonly StaffRole[];
  readonly clinicIds: readonly ClinicId[];
}

/**
 * An invitation with the one copy of its token that ever exists, to send to the invitee.
 *
 * @example
 * ```ts
 * const { invitation, token } = await service.invite(admin, request);
 * ```
 */
export interface IssuedInvitation {
  readonly invitation: Invitation;
  readonly token: string;
}

/**
 * Who accepts an invitation: the signed-in account and the name to show.
 *
 * @example
 * ```ts
 * const acceptor: InvitationAcceptor = { userId, displayName: 'Dr. Lee' };
 * ```
 */
export interface InvitationAcceptor {
  readonly userId: UserId;
  readonly displayName: string;
}

/**
 * Invites staff by e-mail with single-use, expiring tokens stored only as a hash.
 *
 * @example
 * ```ts
 * const { token } = await invitations.invite(admin, { email, roles: ['clinician'], clinicIds: [clinicId] });
 * const staff = await invitations.accept(token, { userId, displayName: 'Dr. Lee' });
 * ```
 */
export interface StaffInvitationService {
  /**
   * Creates a pending invitation and returns its token once.
   *
   * @throws `ForbiddenError` without `invitation:write`, or when a non-owner grants `owner`.
   */
  invite(actor: Actor, request: InviteRequest): Promise<IssuedInvitation>;
  /**
   * Turns a pending, unexpired invitation into a staff member with the invited roles and clinics.
   * The token is the credential: whoever holds it may accept once.
   *
   * @throws {@link InvitationNotUsableError} when the token is unknown, used, revoked or expired.
   */
  accept(token: string, acceptor: InvitationAcceptor): Promise<Staff>;
  /**
   * Revokes a pending invitation so its token no longer works.
   *
   * @throws `ForbiddenError` without `invitation:write`; `NotFoundError` for an unknown id;
   * {@link InvitationNotUsableError} when it is no longer pending.
   */
  revoke(actor: Actor, id: InvitationId): Promise<Invitation>;
  /**
   * Issues a fresh token and expiry for a pending invitation; the previous token stops working.
   *
   * @throws `ForbiddenError` without `invitation:write`; `NotFoundError` for an unknown id;
   * {@link InvitationNotUsableError} when it is no longer pending.
   */
  resend(actor: Actor, id: InvitationId): Promise<IssuedInvitation>;
  /**
   * A page of the actor's tenant's invitations.
   *
   * @throws `ForbiddenError` without `invitation:read`.
   */
  list(actor: Actor, page: PageRequest): Promise<Page<Invitation>>;
}

/**
 * Creates a {@link StaffInvitationService}.
 *
 * @example
 * ```ts
 * import { createStaffInvitationService, memoryInvitationRepository, memoryStaffRepository } from '@carequeue/queue';
 * import { systemClock } from '@carequeue/core';
 *
 * const invitations = createStaffInvitationService({
 *   invitations: memoryInvitationRepository(),
 *   staff: memoryStaffRepository(),
 *   clock: systemClock,
 * });
 * ```
 */
export function createStaffInvitationService(
  options: StaffInvitationServiceOptions,
): StaffInvitationService {
  const ttlMs = options.ttlMs ?? DEFAULT_INVITATION_TTL_MS;
  const isoNow = (): string => new Date(options.clock.now()).toISOString();
  const expiry = (): string => new Date(options.clock.now() + ttlMs).toISOString();

  async function pendingOf(actor: Actor, id: InvitationId): Promise<Invitation> {
    const invitation = await options.invitations.get(actor.tenantId, id);
    if (invitation === undefined) throw new NotFoundError('invitation');
    if (invitation.status !== 'pending') throw new InvitationNotUsableError();
    return invitation;
  }

  return {
    async invite(actor, request) {
      authorize(actor, 'invitation:write', { tenantId: actor.tenantId });
      if (request.roles.includes('owner') && !actor.roles.includes('owner')) {
        throw new ForbiddenError(
          'invitation:write',
          'Only an owner can invite another owner. Ask an owner to send the invitation.',
        );
      }
      const token = newInvitationToken();
      const invitation: Invitation = {
        id: InvitationId.parse(uuidv7()),
        tenantId: actor.tenantId,
        email: request.email,
        roles: [...request.roles],
        clinicIds: [...request.clinicIds],
        status: 'pending',
        tokenHash: hashInvitationToken(token),
        invitedBy: actor.userId,
        expiresAt: expiry(),
        createdAt: isoNow(),
        version: 0,
      };
      await options.invitations.insert(invitation);
      return { invitation, token };
    },

    async accept(token, acceptor) {
      const invitation = await options.invitations.findByTokenHash(hashInvitationToken(token));
      if (invitation?.status !== 'pending') throw new InvitationNotUsableError();
      if (Date.parse(invitation.expiresAt) <= options.clock.now()) {
        await options.invitations.update({
          ...invitation,
          status: 'expired',
          version: invitation.version + 1,
        });
        throw new InvitationNotUsableError();
      }
      const now = isoNow();
      const staff: Staff = {
        id: StaffId.parse(uuidv7()),
        tenantId: invitation.tenantId,
        userId: acceptor.userId,
        displayName: acceptor.displayName,
        email: invitation.email,
        roles: invitation.roles,
        clinicIds: invitation.clinicIds,
        active: true,
        createdAt: now,
        updatedAt: now,
        version: 0,
      };
      // The status flips first, under the version check, so two concurrent accepts cannot both win.
      await options.invitations.update({
        ...invitation,
        status: 'accepted',
        acceptedAt: now,
        staffId: staff.id,
        version: invitation.version + 1,
      });
      await options.staff.insert(staff);
      return staff;
    },

    async revoke(actor, id) {
      authorize(actor, 'invitation:write', { tenantId: actor.tenantId });
      const invitation = await pendingOf(actor, id);
      const revoked: Invitation = {
        ...invitation,
        status: 'revoked',
        version: invitation.version + 1,
      };
      await options.invitations.update(revoked);
      return revoked;
    },

    async resend(actor, id) {
      authorize(actor, 'invitation:write', { tenantId: actor.tenantId });
      const invitation = await pendingOf(actor, id);
      const token = newInvitationToken();
      const renewed: Invitation = {
        ...invitation,
        tokenHash: hashInvitationToken(token),
        expiresAt: expiry(),
        version: invitation.version + 1,
      };
      await options.invitations.update(renewed);
      return { invitation: renewed, token };
    },

    async list(actor, page) {
      authorize(actor, 'invitation:read', { tenantId: actor.tenantId });
      return options.invitations.list(actor.tenantId, page);
    },
  };
}
