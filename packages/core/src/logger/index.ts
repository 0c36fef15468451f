/**
 * `@carequeue/core/logger`.
 *
 * @packageDocumentation
 */
export {};
