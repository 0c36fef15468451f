/**
 * The argument schemas of the staff invitation service, built from core's `Invitation` and
 * `Staff` schemas.
 *
 * @internal
 * @packageDocumentation
 */
import { z } from 'zod';
import { ActorSchema, Invitation, InvitationId, Staff } from '@carequeue/core';
import { ClinicIdsArgument, PageRequestArgument } from '../arguments/common-arguments.js';
import { StaffRolesArgument } from '../staff/index.js';

/** The longest token accepted: tokens made by `newInvitationToken` have 43 characters. */
const MAX_TOKEN_LENGTH = 256;

const InviteRequestInput = z.strictObject({
  email: Invitation.shape.email,
  roles: StaffRolesArgument,
  clinicIds: ClinicIdsArgument,
});

const AcceptorInput = z.strictObject({
  userId: Staff.shape.userId.unwrap(),
  displayName: Staff.shape.displayName,
});

/** Argument schemas of each `StaffInvitationService` method, keyed by method name. */
export const invitationArguments = {
  invite: z.object({ actor: ActorSchema, request: InviteRequestInput }),
  accept: z.object({
    token: z.string().min(1).max(MAX_TOKEN_LENGTH),
    acceptor: AcceptorInput,
  }),
  byId: z.object({ actor: ActorSchema, id: InvitationId }),
  list: z.object({ actor: ActorSchema, page: PageRequestArgument }),
};
