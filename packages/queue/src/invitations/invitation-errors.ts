import { CarequeueError, type CarequeueErrorOptions } from '@carequeue/core';

/**
 * The invitation was already used, revoked or has expired. Ask an administrator for a new one.
 *
 * @example
 * ```ts
 * import { InvitationNotUsableError } from '@carequeue/queue';
 *
 * new InvitationNotUsableError().status; // 410
 * ```
 */
export class InvitationNotUsableError extends CarequeueError {
  constructor(options?: CarequeueErrorOptions) {
    super(
      'INVITATION_NOT_USABLE',
      410,
      'The invitation was already used, revoked or has expired. Ask an administrator for a new one.',
      options,
    );
  }
}
