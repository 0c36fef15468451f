/**
 * `@carequeue/client/msw`: msw 3 handlers generated from the `/api/v1` contract, for the tests
 * of applications that use the client.
 *
 * @packageDocumentation
 */
export * from './handlers.js';
export * from './fake-care-queue.js';
