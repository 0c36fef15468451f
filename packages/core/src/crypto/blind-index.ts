import { createHmac, KeyObject } from 'node:crypto';
import type { ErrorIssue } from '../errors.js';
import { stringIssues, throwIfIssues } from '../argument-checks.js';
import { secretKeyFromBase64 } from './key-provider.js';

/**
 * The column a blind index belongs to; it is mixed into the HMAC so equal values in different
 * columns get unrelated indexes.
 *
 * @example
 * ```ts
 * const field: BlindIndexField = { table: 'patients', column: 'ssn' };
 * ```
 */
export interface BlindIndexField {
  readonly table: string;
  readonly column: string;
}

/**
 * Options of {@link createBlindIndex}.
 *
 * @example
 * ```ts
 * const options: BlindIndexOptions = { key: process.env.BLIND_INDEX_KEY!, normalize: (v) => v.replace(/\D/g, '') };
 * ```
 */
export interface BlindIndexOptions {
  /** HMAC key of at least 32 bytes (base64 text or a secret `KeyObject`); never a field encryption key. */
  readonly key: string | KeyObject;
  /**
   * Maps equivalent inputs to one form before hashing, such as stripping the dashes of an SSN.
   *
   * @default Unicode NFKC normalization and trimming.
   */
  readonly normalize?: (value: string, field: BlindIndexField) => string;
}

/**
 * Computes a blind index: a keyed HMAC-SHA256 of a value, for equality lookups on encrypted
 * columns.
 *
 * @example
 * ```ts
 * const digest: BlindIndex = createBlindIndex({ key });
 * digest({ table: 'patients', column: 'ssn' }, '123-45-6789');
 * ```
 */
export type BlindIndex = (field: BlindIndexField, value: string) => string;

/**
 * Creates a {@link BlindIndex}. The result is stable for a key, column and normalized value, and
 * unguessable without the key (an unkeyed hash of an SSN is brute-forced in minutes). Like any
 * deterministic index it reveals which rows share a value.
 *
 * @throws {@link EncryptionKeyConfigError} when the key is not base64 or shorter than 32 bytes.
 * @example
 * ```ts
 * const ssnIndex = createBlindIndex({ key: process.env.BLIND_INDEX_KEY!, normalize: (v) => v.replace(/\D/g, '') });
 * await sql.query('select id from patients where ssn_index = $1', [ssnIndex({ table: 'patients', column: 'ssn' }, input)]);
 * ```
 */
export function createBlindIndex(options: BlindIndexOptions): BlindIndex {
  // A key left unset (undefined, or options missing) goes to secretKeyFromBase64, which reports
  // it as a configuration error instead of a raw TypeError from createHmac on first use.
  const configured: unknown = (options as BlindIndexOptions | null | undefined)?.key;
  const key =
    configured instanceof KeyObject
      ? configured
      : secretKeyFromBase64(configured as string, 'blind index key', { exactLength: false });
  const normalize = options.normalize ?? ((value: string) => value.normalize('NFKC').trim());
  return (field, value) => {
    throwIfIssues('blindIndex', [...blindIndexFieldIssues(field), ...stringIssues(value, 'value')]);
    return createHmac('sha256', key)
      .update(JSON.stringify([field.table, field.column, normalize(value, field)]), 'utf8')
      .digest('base64url');
  };
}

function blindIndexFieldIssues(field: unknown): ErrorIssue[] {
  if (typeof field !== 'object' || field === null) {
    return [{ path: 'field', message: 'must be an object with table and column strings' }];
  }
  const { table, column } = field as Record<string, unknown>;
  return [...stringIssues(table, 'field.table'), ...stringIssues(column, 'field.column')];
}
