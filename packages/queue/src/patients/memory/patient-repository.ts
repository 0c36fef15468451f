import { z } from 'zod';
import { UniqueViolationError } from '@carequeue/core/sql';
import {
  memoryClinicRepository,
  requireTenantClinics,
  type ClinicRepository,
} from '../../clinics/index.js';
import { memoryTenantRows } from '../../memory/tenant-rows.js';
import type { PatientRepository, StoredPatient } from '../ports/patient-repository.js';
import type { PatientSearchCriteria } from '../patient-search.js';
import { checkedPatientRepository } from '../ports/checked-patient-repository.js';
import { checkFactoryOptions, repositoryOption } from '../../config/factory-options.js';

const sameName = (stored: string, wanted: string | undefined): boolean =>
  wanted === undefined || stored.toLowerCase() === wanted.trim().toLowerCase();

function matches(row: StoredPatient, criteria: PatientSearchCriteria): boolean {
  return (
    row.erasedAt === undefined &&
    (criteria.clinicId === undefined || row.clinicIds.includes(criteria.clinicId)) &&
    sameName(row.givenName, criteria.givenName) &&
    sameName(row.familyName, criteria.familyName) &&
    (criteria.dateOfBirth === undefined || row.dateOfBirth === criteria.dateOfBirth) &&
    (criteria.phone === undefined || row.contact.phone === criteria.phone)
  );
}

/**
 * Options of {@link memoryPatientRepository}.
 *
 * @example
 * ```ts
 * const options: MemoryPatientRepositoryOptions = { clinics };
 * ```
 */
export interface MemoryPatientRepositoryOptions {
  /**
   * The clinics patients are registered at. A patient may be registered only at clinics of its
   * own tenant found here, as the SQL foreign key requires.
   *
   * @default a new, empty memory clinic repository (no registration is possible)
   */
  readonly clinics?: ClinicRepository;
}

const MemoryPatientRepositoryOptionsSchema = z.object({
  clinics: repositoryOption('a ClinicRepository').optional(),
});

/**
 * An in-memory {@link PatientRepository} with the same tenant rules as the SQL one: ids and rows
 * are checked the same way, and the clinics a patient is registered at must be clinics of the
 * patient's tenant (`ForeignKeyViolationError` otherwise).
 *
 * @example
 * ```ts
 * const repo = memoryPatientRepository({ clinics });
 * await repo.insert(patient);
 * ```
 */
export function memoryPatientRepository(
  options: MemoryPatientRepositoryOptions = {},
): PatientRepository {
  checkFactoryOptions('memoryPatientRepository', MemoryPatientRepositoryOptionsSchema, options);
  const clinics = options.clinics ?? memoryClinicRepository();
  const registeredAtOwnClinics = (patient: StoredPatient): Promise<void> =>
    requireTenantClinics(
      clinics,
      patient.tenantId,
      patient.clinicIds,
      'patient_clinics_tenant_id_clinic_id_fkey',
    );
  const rows = new Map<string, StoredPatient>();
  const { ofTenant, update, get, page } = memoryTenantRows(rows, 'patient');
  const copy = (row: StoredPatient): StoredPatient => structuredClone(row);

  return checkedPatientRepository({
    async insert(patient) {
      await registeredAtOwnClinics(patient);
      // Checked and written without an await in between, so two inserts of one id cannot both land.
      if (rows.has(patient.id)) throw new UniqueViolationError('patients_pkey');
      rows.set(patient.id, copy(patient));
    },
    async update(patient) {
      await registeredAtOwnClinics(patient);
      await update(patient);
    },
    get,
    getMany(tenantId, ids) {
      const wanted = new Set<string>(ids);
      return Promise.resolve(
        ofTenant(tenantId)
          .filter((row) => wanted.has(row.id))
          .sort((left, right) => (left.id < right.id ? -1 : 1))
          .map(copy),
      );
    },
    list: (tenantId, request) => page(() => ofTenant(tenantId), request),
    findByNationalIdIndex(tenantId, index) {
      return Promise.resolve(
        ofTenant(tenantId)
          .filter((row) => row.nationalIdIndex === index)
          .map(copy),
      );
    },
    search: (tenantId, criteria, request) =>
      page(() => ofTenant(tenantId).filter((row) => matches(row, criteria)), request),
  });
}
