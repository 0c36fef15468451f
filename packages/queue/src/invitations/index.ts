// The invitations context as other contexts and the root entry see it: its ports, its service,
// its token rule and its memory adapters.
export type { InvitationRepository } from './ports/invitation-repository.js';
export type { InvitationUnitOfWork, InvitationWorkScope } from './ports/invitation-unit-of-work.js';
export { hashInvitationToken, newInvitationToken } from './invitation-token.js';
export {
  createStaffInvitationService,
  DEFAULT_INVITATION_TTL_MS,
  type InvitationAcceptor,
  type InviteRequest,
  type IssuedInvitation,
  type StaffInvitationService,
  type StaffInvitationServiceOptions,
} from './staff-invitation-service.js';
export { memoryInvitationRepository } from './memory/invitation-repository.js';
export {
  memoryInvitationUnitOfWork,
  type MemoryInvitationUnitOfWorkOptions,
} from './memory/invitation-unit-of-work.js';
