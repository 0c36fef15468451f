/**
 * `@carequeue/resilience`: circuit breaker, retry, timeouts, bulkhead, fallback, pipelines and
 * health checks.
 *
 * @packageDocumentation
 */
export { isCarequeueError } from '@carequeue/core';
export * from './errors.js';
export * from './execution-context.js';
export * from './breaker/breaker-events.js';
export * from './breaker/breaker-state.js';
export * from './breaker/breaker-state-bus.js';
export * from './breaker/circuit-breaker.js';
export * from './health/health-json.js';
export * from './health/health-registry.js';
