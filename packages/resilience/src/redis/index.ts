/**
 * `@carequeue/resilience/redis`: the Redis rate-limit store, on ioredis.
 *
 * @packageDocumentation
 */
export * from '../adapters/redis-rate-limit-store.js';
