/**
 * `@carequeue/cache/testing`: the contract every `CacheStore` adapter must pass.
 *
 * @packageDocumentation
 */
export * from './store-contract.js';
