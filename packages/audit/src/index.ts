/**
 * `@carequeue/audit`: the append-only, tamper-evident audit trail.
 *
 * @packageDocumentation
 */
export { isCarequeueError } from '@carequeue/core';
export * from './errors.js';
export * from './audit-event.js';
export * from './audit-store.js';
export * from './canonical-form.js';
export * from './chain-verifier.js';
export * from './trail-query.js';
export * from './value-protection.js';
export * from './audit-log-service.js';
export * from './adapters/memory.js';
export * from './audit-seal-task.js';
export * from './checkpoint.js';
export * from './file-spool.js';
export * from './buffered-writer.js';
export * from './value-reveal.js';
export * from './reports/index.js';
export * from './fhir/fhir-types.js';
export * from './fhir/fhir-audit-event.js';
export * from './erasure.js';
export * from './retention/retention-policy.js';
export * from './retention/archive-sink.js';
export * from './retention/archive-manifest.js';
export * from './cli/exit-codes.js';
