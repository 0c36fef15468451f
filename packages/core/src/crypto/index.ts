/**
 * `@carequeue/core/crypto`.
 *
 * @packageDocumentation
 */
export {};
