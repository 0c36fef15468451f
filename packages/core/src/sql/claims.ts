import type { Actor } from '../authorization/actor.js';
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
 * @example
 * ```ts
 * await withClaims(sql, claimsForActor(actor), (tx) => tx.query('SELECT * FROM appointments'));
 * ```
 */
export function claimsForActor(actor: Actor): JwtClaims {
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

async function asRole<T>(
  executor: SqlExecutor,
  role: 'authenticated' | 'service_role',
  claims: JwtClaims,
  fn: (tx: SqlExecutor) => Promise<T>,
): Promise<T> {
  return executor.transaction(async (tx) => {
    // Both settings are transaction-local, so the pooled connection goes back clean.
    await tx.query(
      "SELECT set_config('request.jwt.claims', $1, true), set_config('role', $2, true)",
      [JSON.stringify(claims), role],
    );
    return fn(tx);
  });
}

/**
 * Runs `fn` in a transaction as the `authenticated` role with the request's claims, so
 * row-level security applies even though the pool connects as a privileged user.
 *
 * @example
 * ```ts
 * const { rows } = await withClaims(sql, claimsForActor(actor), (tx) =>
 *   tx.query('SELECT id FROM appointments WHERE starts_at >= $1', [new Date(clock.now())]),
 * );
 * ```
 */
export function withClaims<T>(
  executor: SqlExecutor,
  claims: JwtClaims,
  fn: (tx: SqlExecutor) => Promise<T>,
): Promise<T> {
  return asRole(executor, 'authenticated', { ...claims, role: 'authenticated' }, fn);
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
