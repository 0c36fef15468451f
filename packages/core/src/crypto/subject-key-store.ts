/**
 * A subject's data key as stored: its random id and the key itself, sealed under a master key.
 *
 * @example
 * ```ts
 * const record: SubjectKeyRecord = { keyId: 'Qm9vaz8xYXJk', wrappedKey: 'cq1.k.k2.…' };
 * ```
 */
export interface SubjectKeyRecord {
  /** Random id of this data key; ciphertexts name it so a recreated key is told apart. */
  readonly keyId: string;
  /** The 32-byte data key as a `cq1.k.…` envelope sealed under a master key. */
  readonly wrappedKey: string;
}

/**
 * Where per-subject data keys are kept. Destroying a subject's key crypto-shreds every value
 * encrypted under it, so the store must really delete it (no soft delete, no copies in backups
 * kept past the retention period).
 *
 * @example
 * ```ts
 * const store: SubjectKeyStore = createMemorySubjectKeyStore();
 * await store.destroy(patientId);
 * ```
 */
export interface SubjectKeyStore {
  /** The subject's data key, or `undefined` when it has none (never created, or destroyed). */
  get(subjectId: string): Promise<SubjectKeyRecord | undefined>;
  /**
   * Stores `record` unless the subject already has a key, and returns the key that won, so two
   * writers creating a key at the same time agree on one.
   */
  createIfAbsent(subjectId: string, record: SubjectKeyRecord): Promise<SubjectKeyRecord>;
  /** Deletes the subject's data key for good. Deleting a missing key is a no-op. */
  destroy(subjectId: string): Promise<void>;
}

/**
 * An in-memory {@link SubjectKeyStore} for tests and single-process demos. Keys are lost when the
 * process exits, which makes every subject-encrypted value unreadable: use a durable store in
 * production.
 *
 * @example
 * ```ts
 * const encryptor = createFieldEncryptor({ keys, subjectKeys: createMemorySubjectKeyStore() });
 * ```
 */
export function createMemorySubjectKeyStore(): SubjectKeyStore {
  const records = new Map<string, SubjectKeyRecord>();
  return {
    get: (subjectId) => Promise.resolve(records.get(subjectId)),
    createIfAbsent(subjectId, record) {
      const existing = records.get(subjectId);
      if (existing) return Promise.resolve(existing);
      records.set(subjectId, record);
      return Promise.resolve(record);
    },
    destroy(subjectId) {
      records.delete(subjectId);
      return Promise.resolve();
    },
  };
}
