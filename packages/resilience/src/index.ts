/**
 * `@carequeue/resilience`: circuit breaker, retry, timeouts, bulkhead, fallback, pipelines,
 * health checks, rate limiting, idempotency keys and dead letters.
 *
 * @packageDocumentation
 */
export { isCarequeueError } from '@carequeue/core';
export * from './errors.js';
export * from './execution-context.js';
export type { BreakerEventName, BreakerEvents } from './breaker/breaker-events.js';
export * from './breaker/breaker-state.js';
export * from './breaker/breaker-state-bus.js';
export * from './breaker/circuit-breaker.js';
export * from './health/health-json.js';
export * from './health/health-registry.js';
export * from './retry/backoff.js';
export * from './retry/is-transient-error.js';
export * from './retry/retry-budget.js';
export * from './retry/retry-with-backoff.js';
export * from './retry/retry-policy.js';
export * from './timeout.js';
export * from './bulkhead.js';
export * from './fallback.js';
export * from './pipeline.js';
export * from './health/breaker-health-check.js';
export * from './rate-limit/rate-limit-store.js';
export * from './rate-limit/token-bucket.js';
export * from './rate-limit/memory-rate-limit-store.js';
export * from './rate-limit/rate-limiter.js';
export * from './rate-limit/rate-limit-headers.js';
export * from './idempotency/idempotency-store.js';
export * from './idempotency/memory-idempotency-store.js';
export * from './idempotency/idempotency.js';
export * from './dead-letter/dead-letter.js';
export * from './dead-letter/dead-letter-store.js';
export * from './dead-letter/dead-letter-page.js';
export * from './dead-letter/memory-dead-letter-store.js';
export * from './dead-letter/dead-letter-queue.js';
