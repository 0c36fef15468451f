import { StaleVersionError } from '../../errors.js';
import { decodeCursor, pageLimit, pageOf } from '../../pagination.js';
import type { PatientRepository } from '../ports/patient-repository.js';
import { postgrest } from '../../supabase/request.js';
import {
  queueSchema,
  type SupabaseRepositoryOptions,
  SupabaseRepositoryOptionsSchema,
} from '../../supabase/options.js';
import {
  PATIENT_COLUMNS,
  patientFromRow,
  patientToRow,
  type PatientRow,
} from '../../postgres/queue-rows.js';
import { checkedPatientRepository } from '../ports/checked-patient-repository.js';
import { checkFactoryOptions } from '../../config/factory-options.js';

/**
 * A {@link PatientRepository} over supabase-js. Reads go through the `queue.patient_records`
 * view (a patient with its clinic registrations, so a page is one request); writes call
 * `queue.insert_patient` and `queue.update_patient`, which store the row and its registrations
 * in one transaction; search and the blind-index lookup call functions, so criteria travel in a
 * request body and never in a URL. Row-level security applies under the client's JWT.
 *
 * @throws `UniqueViolationError` and the other errors of core's `toSqlError` for database errors;
 * {@link StaleVersionError} when an update's version is stale;
 * {@link QueueSupabaseRequestError} when PostgREST refuses the request or cannot be reached.
 * @example
 * ```ts
 * import { supabasePatientRepository } from '@carequeue/queue/supabase';
 *
 * const patients = supabasePatientRepository({ client });
 * const page = await patients.search(tenantId, { familyName: 'Example' }, { limit: 20 });
 * ```
 */
export function supabasePatientRepository(options: SupabaseRepositoryOptions): PatientRepository {
  checkFactoryOptions('supabasePatientRepository', SupabaseRepositoryOptionsSchema, options);
  const db = queueSchema(options);
  const records = () => db.from('patient_records').select(PATIENT_COLUMNS);
  const toPatients = (rows: PatientRow[] | null) => (rows ?? []).map(patientFromRow);

  return checkedPatientRepository({
    async insert(patient) {
      await postgrest('patients.insert', () =>
        db.rpc('insert_patient', { p_patient: patientToRow(patient) }),
      );
    },
    async update(patient) {
      const saved: unknown = await postgrest('patients.update', () =>
        db.rpc('update_patient', { p_patient: patientToRow(patient) }),
      );
      if (saved !== true) throw new StaleVersionError('patient');
    },
    async get(tenantId, id) {
      const rows = await postgrest('patients.get', () =>
        records().eq('tenant_id', tenantId).eq('id', id).limit(1).returns<PatientRow[]>(),
      );
      return toPatients(rows)[0];
    },
    async getMany(tenantId, ids) {
      if (ids.length === 0) return [];
      const rows = await postgrest('patients.getMany', () =>
        records()
          .eq('tenant_id', tenantId)
          .in('id', [...ids])
          .order('id', { ascending: true })
          .returns<PatientRow[]>(),
      );
      return toPatients(rows);
    },
    async list(tenantId, page) {
      const limit = pageLimit(page);
      const after = decodeCursor(page.cursor);
      let query = records().eq('tenant_id', tenantId);
      if (after !== undefined) query = query.gt('id', after);
      const rows = await postgrest('patients.list', () =>
        query
          .order('id', { ascending: true })
          .limit(limit + 1)
          .returns<PatientRow[]>(),
      );
      return pageOf(toPatients(rows), limit);
    },
    async findByNationalIdIndex(tenantId, index) {
      const rows = (await postgrest('patients.findByNationalIdIndex', () =>
        db.rpc('patients_by_national_id_index', { p_tenant: tenantId, p_index: index }),
      )) as PatientRow[] | null;
      return toPatients(rows);
    },
    async search(tenantId, criteria, page) {
      const limit = pageLimit(page);
      const after = decodeCursor(page.cursor);
      const rows = (await postgrest('patients.search', () =>
        db.rpc('search_patients', {
          p_tenant: tenantId,
          p_criteria: {
            clinic_id: criteria.clinicId ?? null,
            given_name: criteria.givenName?.trim() ?? null,
            family_name: criteria.familyName?.trim() ?? null,
            date_of_birth: criteria.dateOfBirth ?? null,
            phone: criteria.phone ?? null,
          },
          p_after: after ?? null,
          p_limit: limit + 1,
        }),
      )) as PatientRow[] | null;
      return pageOf(toPatients(rows), limit);
    },
  });
}
