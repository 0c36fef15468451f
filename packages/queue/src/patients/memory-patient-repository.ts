import { UniqueViolationError } from '@carequeue/core/sql';
import { memoryTenantRows } from '../clinics/memory-tenant-rows.js';
import type { PatientRepository, StoredPatient } from './patient-repository.js';
import type { PatientSearchCriteria } from './patient-search.js';

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
 * An in-memory {@link PatientRepository} with the same tenant rules as the SQL one.
 *
 * @example
 * ```ts
 * const repo = memoryPatientRepository();
 * await repo.insert(patient);
 * ```
 */
export function memoryPatientRepository(): PatientRepository {
  const rows = new Map<string, StoredPatient>();
  const { ofTenant, update, get, page } = memoryTenantRows(rows, 'patient');
  const copy = (row: StoredPatient): StoredPatient => structuredClone(row);

  return {
    insert(patient) {
      if (rows.has(patient.id)) return Promise.reject(new UniqueViolationError('patients_pkey'));
      rows.set(patient.id, copy(patient));
      return Promise.resolve();
    },
    update,
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
  };
}
