/**
 * `@carequeue/cache`: a two-tier, tenant-scoped, PHI-safe cache with cross-instance invalidation.
 *
 * @packageDocumentation
 */
export { isCarequeueError } from '@carequeue/core';
export * from './errors.js';
export * from './namespace-policy.js';
export * from './cache-store.js';
export * from './cache-bus.js';
export type { CacheStats, NamespaceStats } from './cache-stats.js';
export * from './cache-options.js';
export * from './cache-service.js';
export { encodeValue, decodeValue } from './codec.js';
export { ImmutableDate, ImmutableMap, ImmutableSet } from './immutable.js';
export * from './adapters/memory-store.js';
export * from './adapters/memory-bus.js';
export * from './decorators/cached.js';
export * from './decorators/cache-decorators.js';
export * from './cache-metrics.js';
export { MAX_CACHE_TTL_MS } from './call-arguments.js';
