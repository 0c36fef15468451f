import { CarequeueError, type CarequeueErrorOptions } from '../errors.js';

/**
 * The encryption key configuration is unusable: a key of the wrong length, a current key id
 * with no key, or a feature used without the key or store it needs.
 *
 * @example
 * ```ts
 * try { keyringFromConfig(config); } catch (e) { if (e instanceof EncryptionKeyConfigError) exit(1); }
 * ```
 */
export class EncryptionKeyConfigError extends CarequeueError {
  constructor(message: string, options?: CarequeueErrorOptions) {
    super('ENCRYPTION_KEY_CONFIG_INVALID', 500, message, options);
  }
}

/**
 * A ciphertext names a key id the key provider does not hold (a retired key was removed from
 * the keyring too early, or the data comes from another environment).
 *
 * @example
 * ```ts
 * if (err instanceof UnknownEncryptionKeyError) logger.error({ keyId: err.keyId }, 'key missing');
 * ```
 */
export class UnknownEncryptionKeyError extends CarequeueError {
  /** The key id named by the ciphertext. Key ids are configuration, never data. */
  readonly keyId: string;

  constructor(keyId: string, options?: CarequeueErrorOptions) {
    super(
      'ENCRYPTION_KEY_UNKNOWN',
      500,
      `The ciphertext was encrypted under key "${keyId}", which the keyring does not hold. Add the retired key back to the keyring's keys.`,
      options,
    );
    this.keyId = keyId;
  }
}

/**
 * A ciphertext could not be decrypted: it is malformed, was altered, was moved to another
 * table, column or row, or was encrypted under other key material.
 *
 * Its status is 422: the value given cannot be processed, and trying again with the same value
 * and context fails the same way, so retry policies and circuit breakers do not count it as a
 * failing dependency. A value read from a store that fails here points at corrupt or tampered
 * data: log it as such.
 *
 * @example
 * ```ts
 * if (err instanceof DecryptionFailedError && err.reason === 'malformed') repairRow(rowId);
 * ```
 */
export class DecryptionFailedError extends CarequeueError {
  /** `malformed` when the envelope cannot be parsed; `authentication` when the GCM tag does not match. */
  readonly reason: 'malformed' | 'authentication';

  constructor(reason: 'malformed' | 'authentication', options?: CarequeueErrorOptions) {
    super(
      'DECRYPTION_FAILED',
      422,
      reason === 'malformed'
        ? 'The stored value is not a CareQueue ciphertext envelope. Check that the column holds values written by the field encryptor.'
        : 'The ciphertext failed authentication: it was altered, copied from another table, column or row, or encrypted under other key material.',
      options,
    );
    this.reason = reason;
  }
}

/**
 * The data key of the record's subject was destroyed (crypto-shredded), so the value can never
 * be decrypted again.
 *
 * @example
 * ```ts
 * if (err instanceof SubjectKeyShreddedError) return { ssn: null, erased: true };
 * ```
 */
export class SubjectKeyShreddedError extends CarequeueError {
  constructor(options?: CarequeueErrorOptions) {
    super(
      'SUBJECT_DATA_SHREDDED',
      410,
      "The subject's data key was destroyed (crypto-shredded), or the value belongs to another subject. Treat the value as erased.",
      options,
    );
  }
}

/**
 * Every error class of `@carequeue/core/crypto`, keyed by class name.
 *
 * @example
 * ```ts
 * if (err instanceof cryptoErrors.SubjectKeyShreddedError) showErased();
 * ```
 */
export const cryptoErrors = {
  EncryptionKeyConfigError,
  UnknownEncryptionKeyError,
  DecryptionFailedError,
  SubjectKeyShreddedError,
} as const;
