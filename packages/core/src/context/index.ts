/**
 * `@carequeue/core/context`.
 *
 * @packageDocumentation
 */
export {};
