/**
 * `@carequeue/core/logger` (Node only): the `Logger` port on pino with PHI and credential
 * redaction and the request's correlation id on every line.
 *
 * @packageDocumentation
 */
export * from './create-logger.js';
export * from './redaction.js';
export * from './serialize-error.js';
