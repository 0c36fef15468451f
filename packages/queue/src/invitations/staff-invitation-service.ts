import { z } from 'zod';
import {
  authorize,
  DAY_MS,
  ForbiddenError,
  InvitationId,
  parseArguments,
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
import type { AuditLogService } from '@carequeue/audit';
import type { Page, PageRequest } from '../pagination.js';
import { requireKnownClinics } from '../staff/index.js';
import { invitationArguments } from './invitation-arguments.js';
import { InvitationNotUsableError } from './invitation-errors.js';
import { hashInvitationToken, newInvitationToken } from './invitation-token.js';
import type { InvitationUnitOfWork, InvitationWorkScope } from './ports/invitation-unit-of-work.js';
import { checkFactoryOptions, clockOption, portOption } from '../config/factory-options.js';
import { checkPageCursor } from '../arguments/page-cursor.js';
import { recordOrNotFound } from '../record-or-not-found.js';
import { recordModification } from '../record-modification.js';

/**
 * How long an invitation can be accepted, in milliseconds.
 *
 * @example
 * ```ts
 * createStaffInvitationService({ ...deps, ttlMs: DEFAULT_INVITATION_TTL_MS / 7 });
 * ```
 */
export const DEFAULT_INVITATION_TTL_MS = 7 * DAY_MS;

/**
 * Dependencies and settings of {@link createStaffInvitationService}.
 *
 * @example
 * ```ts
 * const options: StaffInvitationServiceOptions = { unitOfWork, audit, clock: systemClock };
 * ```
 */
export interface StaffInvitationServiceOptions {
  /** Runs each invitation change atomically with its audit events. */
  readonly unitOfWork: InvitationUnitOfWork;
  readonly audit: AuditLogService;
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
 * Invites staff by e-mail with single-use, expiring tokens stored only as a hash. Every change
 * (invite, accept, revoke, resend, and marking an expired invitation) commits with its audit
 * events; audited values never carry the token or its hash.
 *
 * Every method first checks its arguments (ids, shapes, string lengths and characters) and
 * throws a `ValidationError` naming the argument path, never its value, before any port is
 * called.
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
   * @throws `ForbiddenError` without `invitation:write`, or when a non-owner grants `owner`;
   * {@link ClinicNotInTenantError} when a clinic id is not one of the actor's tenant.
   */
  invite(actor: Actor, request: InviteRequest): Promise<IssuedInvitation>;
  /**
   * Turns a pending, unexpired invitation into a staff member with the invited roles and clinics.
   * The token is the credential: whoever holds it may accept once. The invitation, the staff row
   * with its roles and the audit events commit together or not at all.
   *
   * @throws {@link InvitationNotUsableError} when the token is unknown, used, revoked or expired;
   * `UniqueViolationError` (from core) when the account is already a staff member of the tenant.
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

// The token hash is the lookup key of a live invitation: it stays out of the audit trail.
function auditedValue(invitation: Invitation): Omit<Invitation, 'tokenHash'> {
  const { tokenHash: _tokenHash, ...rest } = invitation;
  return rest;
}

const StaffInvitationServiceOptionsSchema = z.object({
  unitOfWork: portOption('an InvitationUnitOfWork', ['run', 'runAsInvitee']),
  audit: portOption('an AuditLogService', ['buildModificationEvent']),
  clock: clockOption,
  ttlMs: z
    .int()
    .positive()
    .max(366 * DAY_MS)
    .optional(),
});

/**
 * Creates a {@link StaffInvitationService}.
 *
 * @example
 * ```ts
 * import { createAuditLogService, memoryAuditStore } from '@carequeue/audit';
 * import { systemClock } from '@carequeue/core';
 * import {
 *   createStaffInvitationService,
 *   memoryClinicRepository,
 *   memoryInvitationUnitOfWork,
 * } from '@carequeue/queue';
 *
 * const auditStore = memoryAuditStore();
 * const invitations = createStaffInvitationService({
 *   unitOfWork: memoryInvitationUnitOfWork({ auditStore, clinics: memoryClinicRepository() }),
 *   audit: createAuditLogService({ store: auditStore }),
 *   clock: systemClock,
 * });
 * ```
 */
export function createStaffInvitationService(
  options: StaffInvitationServiceOptions,
): StaffInvitationService {
  checkFactoryOptions('createStaffInvitationService', StaffInvitationServiceOptionsSchema, options);
  const { unitOfWork, audit, clock } = options;
  const ttlMs = options.ttlMs ?? DEFAULT_INVITATION_TTL_MS;
  const isoNow = (): string => new Date(clock.now()).toISOString();
  const expiry = (): string => new Date(clock.now() + ttlMs).toISOString();

  async function pendingOf(
    actor: Actor,
    id: InvitationId,
    scope: InvitationWorkScope,
  ): Promise<Invitation> {
    const invitation = await recordOrNotFound(scope.invitations, actor.tenantId, id, 'invitation');
    if (invitation.status !== 'pending') throw new InvitationNotUsableError();
    return invitation;
  }

  async function recordChange(
    scope: InvitationWorkScope,
    userId: UserId | null,
    before: Invitation | null,
    after: Invitation,
  ): Promise<void> {
    await recordModification(
      audit,
      scope,
      userId,
      `Invitation/${after.id}`,
      before === null ? null : auditedValue(before),
      auditedValue(after),
      { tenantId: after.tenantId, patientId: null },
    );
  }

  async function replacePending(
    actor: Actor,
    id: InvitationId,
    change: (invitation: Invitation) => Invitation,
  ): Promise<Invitation> {
    return unitOfWork.run(actor, async (scope) => {
      const current = await pendingOf(actor, id, scope);
      const next = change(current);
      await scope.invitations.update(next);
      await recordChange(scope, actor.userId, current, next);
      return next;
    });
  }

  return {
    async invite(actor, request) {
      ({ actor, request } = parseArguments(
        invitationArguments.invite,
        { actor, request },
        'invitations.invite',
      ));
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
      await unitOfWork.run(actor, async (scope) => {
        if (invitation.clinicIds.length > 0) {
          requireKnownClinics(
            await scope.clinicsInTenant(actor.tenantId, invitation.clinicIds),
            invitation.clinicIds,
          );
        }
        await scope.invitations.insert(invitation);
        await recordChange(scope, actor.userId, null, invitation);
      });
      return { invitation, token };
    },

    async accept(token, acceptor) {
      ({ token, acceptor } = parseArguments(
        invitationArguments.accept,
        { token, acceptor },
        'invitations.accept',
      ));
      const tokenHash = hashInvitationToken(token);
      const outcome = await unitOfWork.runAsInvitee(async (scope) => {
        const invitation = await scope.invitations.findByTokenHash(tokenHash);
        if (invitation?.status !== 'pending') return undefined;
        if (Date.parse(invitation.expiresAt) <= clock.now()) {
          // Committed on purpose before refusing, so the list shows why the token stopped working.
          const expired: Invitation = {
            ...invitation,
            status: 'expired',
            version: invitation.version + 1,
          };
          await scope.invitations.update(expired);
          await recordChange(scope, acceptor.userId, invitation, expired);
          return undefined;
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
        const accepted: Invitation = {
          ...invitation,
          status: 'accepted',
          acceptedAt: now,
          staffId: staff.id,
          version: invitation.version + 1,
        };
        // The status flips first, under the version check, so two concurrent accepts cannot both win.
        await scope.invitations.update(accepted);
        await scope.staff.insert(staff);
        await recordChange(scope, acceptor.userId, invitation, accepted);
        await recordModification(audit, scope, acceptor.userId, `Staff/${staff.id}`, null, staff, {
          tenantId: staff.tenantId,
          patientId: null,
        });
        return staff;
      });
      if (outcome === undefined) throw new InvitationNotUsableError();
      return outcome;
    },

    async revoke(actor, id) {
      ({ actor, id } = parseArguments(
        invitationArguments.byId,
        { actor, id },
        'invitations.revoke',
      ));
      authorize(actor, 'invitation:write', { tenantId: actor.tenantId });
      return replacePending(actor, id, (invitation) => ({
        ...invitation,
        status: 'revoked',
        version: invitation.version + 1,
      }));
    },

    async resend(actor, id) {
      ({ actor, id } = parseArguments(
        invitationArguments.byId,
        { actor, id },
        'invitations.resend',
      ));
      authorize(actor, 'invitation:write', { tenantId: actor.tenantId });
      const token = newInvitationToken();
      const invitation = await replacePending(actor, id, (current) => ({
        ...current,
        tokenHash: hashInvitationToken(token),
        expiresAt: expiry(),
        version: current.version + 1,
      }));
      return { invitation, token };
    },

    async list(actor, page) {
      ({ actor, page } = parseArguments(
        invitationArguments.list,
        { actor, page },
        'invitations.list',
      ));
      authorize(actor, 'invitation:read', { tenantId: actor.tenantId });
      checkPageCursor(page);
      return unitOfWork.run(actor, (scope) => scope.invitations.list(actor.tenantId, page));
    },
  };
}
