/**
 * `@carequeue/resilience`: circuit breaker, retry, timeouts, bulkhead, fallback, pipelines and
 * health checks.
 *
 * @packageDocumentation
 */
export { isCarequeueError } from '@carequeue/core';
export * from './errors.js';
export * from './health/health-json.js';
export * from './health/health-registry.js';
