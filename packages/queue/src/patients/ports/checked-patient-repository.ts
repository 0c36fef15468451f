import { z } from 'zod';
import { ClinicId, Patient, PatientId, singleLine, TenantId, Timestamp } from '@carequeue/core';
import { checkedPort, recordArguments, tenantPageArguments } from '../../arguments/checked-port.js';
import { PageRequestArgument } from '../../arguments/common-arguments.js';
import { PatientSearchInput } from '../patient-arguments.js';
import type { PatientRepository } from './patient-repository.js';

const { nationalId: _nationalId, ...patientFields } = Patient.shape;

/** A blind index or an encrypted envelope: one line, far below what a column could hold. */
const StoredSecret = singleLine(z.string().max(4096));

const StoredPatientRow = z.object({
  ...patientFields,
  nationalIdCiphertext: StoredSecret.optional(),
  nationalIdIndex: StoredSecret.optional(),
  clinicIds: z.array(ClinicId),
  erasedAt: Timestamp.optional(),
});

/**
 * `repository` refusing, with a `ValidationError` and before it runs, ids that are not UUIDs and
 * rows that core's `Patient` schema refuses (a NUL in a name, say). Every patient adapter wraps
 * itself with it, so all of them answer the same.
 *
 * @example
 * ```ts
 * return checkedPatientRepository({ insert, update, get, getMany, list, findByNationalIdIndex, search });
 * ```
 */
export function checkedPatientRepository(repository: PatientRepository): PatientRepository {
  return checkedPort('PatientRepository', repository, {
    ...recordArguments('patient', StoredPatientRow, PatientId),
    getMany: [
      ['tenantId', TenantId],
      ['ids', z.array(PatientId)],
    ],
    list: tenantPageArguments,
    findByNationalIdIndex: [
      ['tenantId', TenantId],
      ['index', StoredSecret],
    ],
    search: [
      ['tenantId', TenantId],
      ['criteria', PatientSearchInput],
      ['page', PageRequestArgument],
    ],
  });
}
