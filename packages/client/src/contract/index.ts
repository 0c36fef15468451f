/**
 * `@carequeue/client/contract`: the `/api/v1` contract of the CareQueue HTTP API (operations,
 * schemas, the problem envelope, the event stream's events and the API version). Browser-safe;
 * it depends on `@carequeue/core` and zod only.
 *
 * @packageDocumentation
 */
export * from './api-version.js';
export * from './operation.js';
export * from './operations.js';
export * from './page.js';
export * from './problem.js';
export * from './stream-events.js';
export * from './wire.js';
export * from './examples.js';
