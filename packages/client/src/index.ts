/**
 * `@carequeue/client`: the typed, browser-safe client of the CareQueue `/api/v1` API.
 *
 * @packageDocumentation
 */
export { isCarequeueError } from '@carequeue/core';
export * from './errors.js';
export * from './backoff.js';
export * from './event-stream-parser.js';
export * from './event-subscription.js';
export * from './hooks.js';
export * from './http-transport.js';
export * from './idempotency-key.js';
export * from './paginate.js';
export * from './request-url.js';
export * from './response-error.js';
export * from './retry-after.js';
export * from './create-care-queue-client.js';
export * from './event-hub.js';
export * from './operation-call.js';
