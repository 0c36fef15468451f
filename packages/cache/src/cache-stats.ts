/**
 * Counters of one namespace. Ratios are derived from counters, so instances can be summed.
 *
 * @example
 * ```ts
 * const { hitRate, l2 } = cache.stats().namespaces['clinic-settings']!;
 * ```
 */
export interface NamespaceStats {
  /** Reads answered from the in-process tier. */
  readonly l1Hits: number;
  /** Reads answered from the shared tier. */
  readonly l2Hits: number;
  /** Reads that found nothing fresh. */
  readonly misses: number;
  /** Reads answered with a stale value within its grace period. */
  readonly staleHits: number;
  /**
   * Values the shared tier took. A write refused for its arguments, one the shared tier skipped
   * because an invalidation raced it, and one that failed (see `l2WriteFailures`) are not counted.
   */
  readonly sets: number;
  /** Deletions, pattern invalidations and tag invalidations. */
  readonly invalidations: number;
  /** Failed shared-tier operations and failed factories. */
  readonly errors: number;
  /**
   * Shared-tier writes that failed (values, deletions and invalidations), also counted in
   * `errors`. The call still resolved; the value lives only in this instance's L1, and a failed
   * invalidation leaves other instances serving the old value until its ttl.
   */
  readonly l2WriteFailures: number;
  /** Shared-tier calls and their summed latency, in ms. */
  readonly l2Calls: number;
  readonly l2LatencyMs: number;
  /** Factory runs and their summed latency, in ms. */
  readonly factoryCalls: number;
  readonly factoryLatencyMs: number;
  /** (l1Hits + l2Hits + staleHits) / all reads, or 0 before any read. */
  readonly hitRate: number;
}

/**
 * What {@link CacheService.stats} returns.
 *
 * @example
 * ```ts
 * const { l1, namespaces } = cache.stats();
 * console.log(l1.entries, namespaces['patient-profiles']?.hitRate);
 * ```
 */
export interface CacheStats {
  /** Size of the in-process tier. */
  readonly l1: { readonly entries: number; readonly bytes: number };
  /** Counters per namespace. */
  readonly namespaces: Readonly<Record<string, NamespaceStats>>;
}

/** The mutable counters behind {@link NamespaceStats}. */
export type NamespaceCounters = {
  -readonly [K in Exclude<keyof NamespaceStats, 'hitRate'>]: number;
};

/** Fresh zeroed counters. */
export function emptyCounters(): NamespaceCounters {
  return {
    l1Hits: 0,
    l2Hits: 0,
    misses: 0,
    staleHits: 0,
    sets: 0,
    invalidations: 0,
    errors: 0,
    l2WriteFailures: 0,
    l2Calls: 0,
    l2LatencyMs: 0,
    factoryCalls: 0,
    factoryLatencyMs: 0,
  };
}

/** A snapshot of counters with their hit rate. */
export function snapshotCounters(counters: NamespaceCounters): NamespaceStats {
  const hits = counters.l1Hits + counters.l2Hits + counters.staleHits;
  const reads = hits + counters.misses;
  return { ...counters, hitRate: reads === 0 ? 0 : hits / reads };
}
