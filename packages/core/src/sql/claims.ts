import type { Actor } from '../authorization/actor.js';
import { ValidationError } from '../errors.js';
import type { SqlExecutor } from './executor.js';

/**
 * JWT claims as Supabase puts them in `request.jwt.claims`. Policies read the tenant from
 * `app_metadata` (set by the server), never from `user_metadata` (editable by the user).
 *
 * @example
 * ```ts
 * const claims: JwtClaims = { sub: userId, role: 'authenticated', app_metadata: { tenant_id: tenantId } };
 * ```
 */
export interface JwtClaims {
  readonly sub: string;
  readonly role?: string;
  readonly aal?: string;
  readonly app_metadata?: Readonly<Record<string, unknown>>;
  readonly [claim: string]: unknown;
}

/**
 * The claims that represent `actor` in SQL: `sub`, `aal`, and `app_metadata` with `tenant_id`,
 * `roles`, and `patient_id`, `staff_id`, `clinic_ids` where the actor has them.
 *
 * @throws `ValidationError` naming the argument when `actor` is not an object.
 * @example
 * ```ts
 * await withClaims(sql, claimsForActor(actor), (tx) => tx.query('SELECT * FROM appointments'));
 * ```
 */
export function claimsForActor(actor: Actor): JwtClaims {
  if (typeof (actor as unknown) !== 'object' || (actor as unknown) === null) {
    throw new ValidationError(
      'The actor of claimsForActor is invalid. Pass the authenticated Actor.',
      [{ path: 'actor', message: 'must be an Actor object (parse it with ActorSchema)' }],
    );
  }
  return {
    sub: actor.userId,
    role: 'authenticated',
    aal: actor.aal,
    app_metadata: {
      tenant_id: actor.tenantId,
      roles: actor.roles,
      ...(actor.patientId === undefined ? {} : { patient_id: actor.patientId }),
      ...(actor.staffId === undefined ? {} : { staff_id: actor.staffId }),
      ...(actor.clinicIds === undefined ? {} : { clinic_ids: actor.clinicIds }),
    },
  };
}

/**
 * The claims as JSON. A circular or BigInt claim makes JSON.stringify throw a raw TypeError that
 * names the offending properties; it is reported as a ValidationError naming only the argument.
 */
function claimsToJson(claims: JwtClaims): string {
  try {
    return JSON.stringify(claims);
  } catch (error) {
    throw new ValidationError(
      'The claims cannot be serialised to JSON. Build them with claimsForActor; they must hold no cycles or BigInts.',
      [{ path: 'claims', message: 'must be JSON-serialisable' }],
      { cause: error },
    );
  }
}

async function asRole<T>(
  executor: SqlExecutor,
  role: 'authenticated' | 'service_role',
  claims: JwtClaims,
  fn: (tx: SqlExecutor) => Promise<T>,
): Promise<T> {
  // Serialised before the transaction opens, so bad claims cost no round trip.
  const claimsJson = claimsToJson(claims);
  return executor.transaction(async (tx) => {
    // Both settings are transaction-local, so the pooled connection goes back clean.
    await tx.query(
      "SELECT set_config('request.jwt.claims', $1, true), set_config('role', $2, true)",
      [claimsJson, role],
    );
    return fn(tx);
  });
}

/**
 * Runs `fn` in a transaction as the `authenticated` role with the request's claims, so
 * row-level security applies even though the pool connects as a privileged user.
 *
 * @throws `ValidationError` naming the argument, before any query, when `claims` is not an
 * object with a string `sub` or cannot be serialised to JSON (a cycle or a BigInt).
 * @example
 * ```ts
 * const { rows } = await withClaims(sql, claimsForActor(actor), (tx) =>
 *   tx.query('SELECT id FROM appointments WHERE starts_at >= $1', [new Date(clock.now())]),
 * );
 * ```
 */
export async function withClaims<T>(
  executor: SqlExecutor,
  claims: JwtClaims,
  fn: (tx: SqlExecutor) => Promise<T>,
): Promise<T> {
  // Without a subject the transaction would run as an authenticated nobody.
  if (typeof (claims as unknown) !== 'object' || (claims as unknown) === null) {
    throw new ValidationError(
      'The claims of withClaims are invalid. Build them with claimsForActor.',
      [{ path: 'claims', message: 'must be an object' }],
    );
  }
  if (typeof claims.sub !== 'string') {
    throw new ValidationError(
      'The claims of withClaims are invalid. Build them with claimsForActor.',
      [{ path: 'claims.sub', message: 'must be a string' }],
    );
  }
  return await asRole(executor, 'authenticated', { ...claims, role: 'authenticated' }, fn);
}

/**
 * Runs `fn` in a transaction as `service_role`, the role of background workers, which row-level
 * security does not restrict.
 *
 * @example
 * ```ts
 * await asServiceRole(sql, (tx) => tx.query('DELETE FROM outbox WHERE sent_at < $1', [cutoff]));
 * ```
 */
export function asServiceRole<T>(
  executor: SqlExecutor,
  fn: (tx: SqlExecutor) => Promise<T>,
): Promise<T> {
  return asRole(executor, 'service_role', { sub: 'service_role', role: 'service_role' }, fn);
}
