/**
 * `@carequeue/cache`.
 *
 * @packageDocumentation
 */
export { isCarequeueError } from '@carequeue/core';
export * from './errors.js';
