import type { Actor } from './actor.js';

/**
 * Emergency access of one clinician to one patient's records outside their usual scope, with the
 * reason they gave, for a limited time.
 *
 * @example
 * ```ts
 * const grant: BreakGlassGrant = await breakGlass.open(clinician, { patientId, reason: 'Unconscious patient in ER' });
 * ```
 */
export interface BreakGlassGrant {
  readonly id: string;
  readonly tenantId: Actor['tenantId'];
  /** The clinician the grant was opened by and for. */
  readonly userId: Actor['userId'];
  /** The patient whose records the grant opens. */
  readonly patientId: NonNullable<Actor['patientId']>;
  readonly reason: string;
  /** Epoch milliseconds. */
  readonly openedAt: number;
  /** Epoch milliseconds; the grant is dead from this instant on. */
  readonly expiresAt: number;
}

/**
 * Whether `grant` is in force at `now` (epoch ms): opened, not yet expired.
 *
 * @example
 * ```ts
 * isGrantLive(grant, clock.now());
 * ```
 */
export function isGrantLive(grant: BreakGlassGrant, now: number): boolean {
  return now >= grant.openedAt && now < grant.expiresAt;
}
