/**
 * `@carequeue/cache/testing`: the contract every {@link CacheStore} adapter must pass.
 *
 * @packageDocumentation
 */
export * from './store-contract.js';
