/**
 * `@carequeue/audit/testing`: the `AuditStore` contract suite and test fixtures.
 *
 * @packageDocumentation
 */
export * from './contract.js';
export * from './sample-event.js';
