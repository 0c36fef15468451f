/**
 * `@carequeue/resilience/redis`: the Redis rate-limit and idempotency stores and the breaker
 * state bus, on ioredis.
 *
 * @packageDocumentation
 */
export * from '../adapters/redis-rate-limit-store.js';
export * from '../adapters/redis-idempotency-store.js';
export * from '../adapters/redis-breaker-state-bus.js';
