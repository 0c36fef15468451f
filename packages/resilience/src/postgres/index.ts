/**
 * `@carequeue/resilience/postgres`: the Postgres (and PGlite) dead-letter and idempotency stores
 * over core's `SqlExecutor`, and the package's migrations.
 *
 * @packageDocumentation
 */
export * from '../resilience-migrations.js';
export * from '../adapters/postgres-dead-letter-store.js';
export * from '../adapters/postgres-idempotency-store.js';
