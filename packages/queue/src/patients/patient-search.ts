import type { ClinicId, LocalDate } from '@carequeue/core';

/**
 * What to search patients by. Every given field must match: names case-insensitively and
 * exactly, date of birth and E.164 phone exactly. The criteria are direct identifiers, so they
 * travel only in a request body and never reach URLs, cache keys, logs or audit metadata.
 *
 * @example
 * ```ts
 * const criteria: PatientSearchCriteria = { familyName: 'Example', dateOfBirth: '1980-04-02' };
 * ```
 */
export interface PatientSearchCriteria {
  /** Only patients registered at this clinic. */
  readonly clinicId?: ClinicId;
  readonly givenName?: string;
  readonly familyName?: string;
  readonly dateOfBirth?: LocalDate;
  readonly phone?: string;
}

/**
 * The identifying criteria of a search: the ones that narrow it to patients, unlike `clinicId`.
 *
 * @example
 * ```ts
 * identifyingCriteria({ familyName: 'Example', clinicId }); // ['familyName']
 * ```
 */
export function identifyingCriteria(criteria: PatientSearchCriteria): string[] {
  return (['givenName', 'familyName', 'dateOfBirth', 'phone'] as const).filter(
    (field) => criteria[field] !== undefined,
  );
}
