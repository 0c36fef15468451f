/**
 * `@carequeue/core/sql`: the SQL layer shared by every CareQueue package (Node only).
 *
 * A `SqlExecutor` port with `pg` and PGlite implementations, a migrator for the plain SQL files
 * each package ships, and `withClaims`/`asServiceRole` to run queries under row-level security
 * the way Supabase does, and the Postgres store of the field encryptor's per-subject data keys.
 *
 * @packageDocumentation
 */
export * from './errors.js';
export * from './executor.js';
export * from './pg-executor.js';
export * from './pglite-executor.js';
export * from './claims.js';
export * from './migrator.js';
export * from './core-migrations.js';
export * from './transaction-retry.js';
export * from './postgres-subject-key-store.js';
export * from './sql-clock.js';
