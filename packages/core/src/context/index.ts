/**
 * `@carequeue/core/context` (Node only): the request context carried by `AsyncLocalStorage`,
 * correlation ids and purpose-of-use codes.
 *
 * @packageDocumentation
 */
export * from './correlation-id.js';
export * from './purpose-of-use.js';
export * from './request-context.js';
