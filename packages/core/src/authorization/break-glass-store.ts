import type { Actor } from './actor.js';
import { isGrantLive, type BreakGlassGrant } from './break-glass-grant.js';

/**
 * Where break-glass grants are recorded. Grants are evidence: stores keep them after they expire
 * (revoking only shortens them) so audits can report on every emergency access.
 *
 * @example
 * ```ts
 * const store: BreakGlassStore = memoryBreakGlassStore();
 * ```
 */
export interface BreakGlassStore {
  /** Records a new grant. */
  save(grant: BreakGlassGrant): Promise<void>;
  /** The user's grants in the tenant that are live at `now` (epoch ms). */
  findLive(
    tenantId: Actor['tenantId'],
    userId: Actor['userId'],
    now: number,
  ): Promise<readonly BreakGlassGrant[]>;
  /** Ends a grant at `now` (epoch ms), keeping the record. Unknown ids are a no-op. */
  revoke(grantId: string, now: number): Promise<void>;
}

/**
 * An in-memory {@link BreakGlassStore} for tests and single-process deployments.
 *
 * @example
 * ```ts
 * const breakGlass = createBreakGlass({ clock, store: memoryBreakGlassStore(), onOpened });
 * ```
 */
export function memoryBreakGlassStore(): BreakGlassStore & {
  /** Every grant ever recorded, for assertions and reports. */
  all(): readonly BreakGlassGrant[];
} {
  const grants = new Map<string, BreakGlassGrant>();
  return {
    save(grant) {
      grants.set(grant.id, grant);
      return Promise.resolve();
    },
    findLive(tenantId, userId, now) {
      return Promise.resolve(
        [...grants.values()].filter(
          (grant) =>
            grant.tenantId === tenantId && grant.userId === userId && isGrantLive(grant, now),
        ),
      );
    },
    revoke(grantId, now) {
      const grant = grants.get(grantId);
      if (grant) grants.set(grantId, { ...grant, expiresAt: Math.min(grant.expiresAt, now) });
      return Promise.resolve();
    },
    all: () => [...grants.values()],
  };
}
