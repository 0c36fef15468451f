import type { FieldEncryptor } from '@carequeue/core/crypto';
import { isShreddedSubject } from '../data-subject.js';
import type { ResolvedKey } from './key-resolver.js';
import { parseEnvelope, type CachedValue } from './value-envelope.js';

// Values of sensitive namespaces are sealed (AES-256-GCM through the field encryptor) before they
// reach a shared store, with the scope and the hashed key bound into the additional data, and
// under the subject's own data key when the value names one. Only the shared tier is sealed: L1
// holds plaintext, and erasure drops it through the bus. Internal: the package entry does not
// export this module.

/** Seals envelopes for the shared tier and opens what it returns. */
export interface ValueSealing {
  /**
   * The payload to store: the envelope, sealed when the namespace is sensitive. `undefined` when
   * the subject has no data key (it was shredded): nothing of it may be cached, and a new key
   * must not be created for a copy.
   */
  seal(
    resolved: ResolvedKey,
    envelope: string,
    subject: string | undefined,
  ): Promise<string | undefined>;
  /**
   * The cached value in a stored payload, or `undefined` for one that does not open or decode
   * (tampered, copied under another key, written by something else, or its subject shredded),
   * so the factory replaces it instead of every reader failing on it. Synchronous when nothing
   * is sealed, so a plain L2 hit waits for no extra promise.
   */
  open(
    resolved: ResolvedKey,
    payload: string,
    subject: string | undefined,
  ): CachedValue | undefined | Promise<CachedValue | undefined>;
}

/**
 * Creates the sealing of one cache service: it seals nothing unless the store is shared and an
 * encryptor is given.
 *
 * @example
 * ```ts
 * const sealing = createValueSealing(store.shared ? encryptor : undefined);
 * const payload = await sealing.seal(resolved, envelope, patientId);
 * ```
 */
export function createValueSealing(encryptor: FieldEncryptor | undefined): ValueSealing {
  const sealsValuesOf = (resolved: ResolvedKey): boolean =>
    encryptor !== undefined && resolved.policy.sensitive === true;
  const cryptoContext = (resolved: ResolvedKey, subject: string | undefined) => ({
    table: 'cache',
    column: resolved.scope,
    rowId: resolved.hashedKey,
    ...(subject === undefined ? {} : { subjectId: subject }),
  });

  function parseOrMiss(resolved: ResolvedKey, envelope: string): CachedValue | undefined {
    try {
      return parseEnvelope(envelope);
    } catch {
      resolved.counters.errors += 1;
      return undefined;
    }
  }

  return {
    async seal(resolved, envelope, subject) {
      if (encryptor === undefined || !sealsValuesOf(resolved)) return envelope;
      try {
        return await encryptor.encrypt(envelope, cryptoContext(resolved, subject), {
          createSubjectKey: false,
        });
      } catch (error: unknown) {
        if (isShreddedSubject(error)) return undefined;
        throw error;
      }
    },
    open(resolved, payload, subject) {
      if (encryptor === undefined || !sealsValuesOf(resolved)) {
        return parseOrMiss(resolved, payload);
      }
      return encryptor.decrypt(payload, cryptoContext(resolved, subject)).then(
        (envelope) => parseOrMiss(resolved, envelope),
        (error: unknown) => {
          // A shredded subject's value is erased, not damaged. A tampered value, or one copied
          // under another key, is counted; both must read as a miss.
          if (!isShreddedSubject(error)) resolved.counters.errors += 1;
          return undefined;
        },
      );
    },
  };
}
