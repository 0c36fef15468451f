/**
 * `@carequeue/resilience/testing`: the contract suites every rate-limit, idempotency and
 * dead-letter store adapter must pass.
 *
 * @packageDocumentation
 */
export type * from './contract-api.js';
export * from './rate-limit-store-contract.js';
export * from './idempotency-store-contract.js';
export * from './dead-letter-store-contract.js';
