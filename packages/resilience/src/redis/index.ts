/**
 * `@carequeue/resilience/redis`: the Redis rate-limit and idempotency stores, on ioredis.
 *
 * @packageDocumentation
 */
export * from '../adapters/redis-rate-limit-store.js';
export * from '../adapters/redis-idempotency-store.js';
