/**
 * `@carequeue/test-harness`: fixtures for CareQueue integration tests.
 *
 * Each test file gets its own Postgres database, Redis key prefix and PGlite instance, so files
 * run in parallel against shared servers; chaos tests get private servers and a TCP proxy.
 *
 * @packageDocumentation
 */
export * from './errors.js';
export * from './service-urls.js';
export * from './probe.js';
export * from './require-service.js';
export * from './database-names.js';
export * from './migration-sources.js';
export * from './empty-database.js';
export * from './template.js';
export * from './postgres-admin.js';
export * from './postgres-template.js';
export * from './test-database.js';
export * from './pglite-snapshot.js';
export * from './test-pglite.js';
export * from './run-context.js';
export * from './test-redis.js';
export * from './wait-until.js';
export * from './free-port.js';
export * from './child-processes.js';
export * from './managed-process.js';
export * from './private-redis.js';
export * from './private-postgres.js';
export * from './tcp-proxy.js';
