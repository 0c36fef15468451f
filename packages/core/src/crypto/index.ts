/**
 * `@carequeue/core/crypto`: field-level encryption for SSN-class data (Node only).
 *
 * AES-256-GCM envelopes bound to table, column and row, key ids inside each ciphertext for
 * rotation, keyed HMAC blind indexes for equality lookups, and per-subject data keys so a
 * patient's data can be crypto-shredded (re-wrapped in batches when the master key rotates).
 *
 * @packageDocumentation
 */
export * from './errors.js';
export * from './key-provider.js';
export * from './envelope.js';
export * from './subject-key-store.js';
export type { SubjectKeyRewrapOptions, SubjectKeyRewrapResult } from './subject-key-rewrap.js';
export * from './blind-index.js';
export * from './field-encryptor.js';
