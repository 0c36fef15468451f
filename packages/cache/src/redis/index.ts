/**
 * `@carequeue/cache/redis`: the Redis (and Redis Cluster) store and invalidation bus, on ioredis.
 *
 * @packageDocumentation
 */
export * from '../adapters/redis-store.js';
export * from '../adapters/redis-bus.js';
