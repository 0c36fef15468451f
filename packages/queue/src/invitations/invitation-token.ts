import { createHash, randomBytes } from 'node:crypto';

/**
 * A new invitation token: 32 random bytes, base64url. Only its {@link hashInvitationToken} is
 * stored; the token itself travels once, in the invitation e-mail.
 *
 * @example
 * ```ts
 * const token = newInvitationToken(); // 43 characters
 * ```
 */
export function newInvitationToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The hex SHA-256 of an invitation token, which is what is stored and looked up.
 *
 * @example
 * ```ts
 * hashInvitationToken(token); // 64 hex characters
 * ```
 */
export function hashInvitationToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
