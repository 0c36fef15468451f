/**
 * `@carequeue/core/sql`.
 *
 * @packageDocumentation
 */
export {};
