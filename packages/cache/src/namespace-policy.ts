/**
 * How one namespace is cached.
 *
 * @example
 * ```ts
 * const appointments: NamespacePolicy = { ttlMs: 60_000, graceMs: 30_000 };
 * ```
 */
export interface NamespacePolicy {
  /** Time a value is fresh. */
  readonly ttlMs: number;
  /**
   * Holds patient data: values are encrypted in shared stores, never served stale, and dropped
   * from L1 while the invalidation bus is down.
   * @default false
   */
  readonly sensitive?: boolean;
  /**
   * Time after expiry during which a stale value may still be served while it is refreshed, or
   * when the factory fails. Ignored for sensitive namespaces.
   * @default 0
   */
  readonly graceMs?: number;
  /**
   * Keeps values in the in-process L1 tier.
   * @default true
   */
  readonly l1?: boolean;
}

/**
 * The roadmap's namespaces: clinic settings 5 min, staff schedules 1 min, patient profiles
 * 10 min (sensitive), queue summaries 30 s.
 *
 * @example
 * ```ts
 * const cache = createCacheService({
 *   namespaces: { ...defaultNamespaces, 'service-types': { ttlMs: 600_000 } },
 * });
 * ```
 */
export const defaultNamespaces = {
  'clinic-settings': { ttlMs: 300_000, graceMs: 60_000 },
  'staff-schedules': { ttlMs: 60_000, graceMs: 30_000 },
  'patient-profiles': { ttlMs: 600_000, sensitive: true },
  'queue-summaries': { ttlMs: 30_000 },
} as const satisfies Record<string, NamespacePolicy>;
