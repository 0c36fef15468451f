import type { ClinicId, Patient, PatientId, TenantId } from '@carequeue/core';
import type { Page, PageRequest } from '../../pagination.js';
import type { PatientSearchCriteria } from '../patient-search.js';

/**
 * A patient as stored: the model without the national identifier in clear, which is kept only
 * as an encrypted envelope and a keyed blind index, plus the clinics the patient is registered at.
 *
 * @example
 * ```ts
 * const stored: StoredPatient = { ...patientWithoutNationalId, clinicIds: [clinicId] };
 * ```
 */
export type StoredPatient = Omit<Patient, 'nationalId'> & {
  /** The national identifier, encrypted by core's field encryptor. */
  readonly nationalIdCiphertext?: string;
  /** The keyed blind index of the national identifier, for exact lookup. */
  readonly nationalIdIndex?: string;
  /** The clinics the patient is registered at; clinic staff reach the patient through them. */
  readonly clinicIds: readonly ClinicId[];
  /** When the patient was erased (pseudonymised and crypto-shredded). */
  readonly erasedAt?: string;
};

/**
 * Storage port for patients. Every read and write is scoped to one tenant: rows of another
 * tenant are never returned or changed.
 *
 * @example
 * ```ts
 * const repo: PatientRepository = memoryPatientRepository();
 * await repo.insert(patient);
 * const page = await repo.list(patient.tenantId, { limit: 20 });
 * ```
 */
export interface PatientRepository {
  /**
   * Stores a new patient and its clinic registrations.
   *
   * @throws `UniqueViolationError` (from core) when the id is taken.
   */
  insert(patient: StoredPatient): Promise<void>;
  /**
   * Replaces a patient whose stored version is `patient.version - 1`.
   *
   * @throws {@link StaleVersionError} when the stored version differs or the patient is absent.
   */
  update(patient: StoredPatient): Promise<void>;
  /** The patient, or `undefined` when absent or in another tenant. */
  get(tenantId: TenantId, id: PatientId): Promise<StoredPatient | undefined>;
  /** Several patients by id in one round trip, in id order; absent ids are skipped. */
  getMany(tenantId: TenantId, ids: readonly PatientId[]): Promise<StoredPatient[]>;
  /** A page of the tenant's patients in id order. */
  list(tenantId: TenantId, page: PageRequest): Promise<Page<StoredPatient>>;
  /** Patients whose national identifier has this blind index. */
  findByNationalIdIndex(tenantId: TenantId, index: string): Promise<StoredPatient[]>;
  /**
   * A page, in id order, of the tenant's patients that match every given criterion and are not
   * erased.
   *
   * @throws {@link InvalidCursorError} when the cursor cannot be read.
   */
  search(
    tenantId: TenantId,
    criteria: PatientSearchCriteria,
    page: PageRequest,
  ): Promise<Page<StoredPatient>>;
}
