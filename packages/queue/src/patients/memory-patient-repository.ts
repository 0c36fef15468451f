import type { TenantId } from '@carequeue/core';
import { UniqueViolationError } from '@carequeue/core/sql';
import { StaleVersionError } from '../errors.js';
import { paginate } from '../pagination.js';
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
  const ofTenant = (tenantId: TenantId): StoredPatient[] =>
    [...rows.values()].filter((row) => row.tenantId === tenantId);
  const copy = (row: StoredPatient): StoredPatient => structuredClone(row);

  return {
    insert(patient) {
      if (rows.has(patient.id)) return Promise.reject(new UniqueViolationError('patients_pkey'));
      rows.set(patient.id, copy(patient));
      return Promise.resolve();
    },
    update(patient) {
      const current = rows.get(patient.id);
      if (current?.tenantId !== patient.tenantId || current.version !== patient.version - 1) {
        return Promise.reject(new StaleVersionError('patient'));
      }
      rows.set(patient.id, copy(patient));
      return Promise.resolve();
    },
    get(tenantId, id) {
      const row = rows.get(id);
      return Promise.resolve(row?.tenantId === tenantId ? copy(row) : undefined);
    },
    getMany(tenantId, ids) {
      const wanted = new Set<string>(ids);
      return Promise.resolve(
        ofTenant(tenantId)
          .filter((row) => wanted.has(row.id))
          .sort((left, right) => (left.id < right.id ? -1 : 1))
          .map(copy),
      );
    },
    list(tenantId, page) {
      // Deferred so that an unreadable cursor rejects instead of throwing synchronously.
      return Promise.resolve().then(() => {
        const result = paginate(ofTenant(tenantId), page);
        return { ...result, items: result.items.map(copy) };
      });
    },
    findByNationalIdIndex(tenantId, index) {
      return Promise.resolve(
        ofTenant(tenantId)
          .filter((row) => row.nationalIdIndex === index)
          .map(copy),
      );
    },
    search(tenantId, criteria, page) {
      return Promise.resolve().then(() => {
        const found = ofTenant(tenantId).filter((row) => matches(row, criteria));
        const result = paginate(found, page);
        return { ...result, items: result.items.map(copy) };
      });
    },
  };
}
