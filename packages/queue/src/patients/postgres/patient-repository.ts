import type { SqlExecutor } from '@carequeue/core/sql';
import { StaleVersionError } from '../../errors.js';
import { decodeCursor, pageLimit, pageOf } from '../../pagination.js';
import type { PatientRepository, StoredPatient } from '../ports/patient-repository.js';
import { patientFromRow, type PatientRow } from '../../postgres/queue-rows.js';
import { checkedPatientRepository } from '../ports/checked-patient-repository.js';
import { checkFactoryOptions, SqlRepositoryOptionsSchema } from '../../config/factory-options.js';
import type { SqlRepositoryOptions } from '../../postgres/sql-adapter-options.js';

// The clinic registrations come back in the same statement, so a page costs one query.
const SELECT_PATIENT = `
  SELECT p.id, p.tenant_id, p.user_id, p.given_name, p.family_name, p.date_of_birth::text AS date_of_birth,
         p.phone, p.email, p.preferred_channel, p.address, p.medical_record_number,
         p.national_id_ciphertext, p.national_id_index, p.notes, p.consent, p.erased_at,
         p.created_at, p.updated_at, p.version,
         ARRAY(SELECT pc.clinic_id::text FROM queue.patient_clinics pc
               WHERE pc.tenant_id = p.tenant_id AND pc.patient_id = p.id ORDER BY pc.clinic_id) AS clinic_ids
  FROM queue.patients p`;

function columnsOf(patient: StoredPatient): unknown[] {
  return [
    patient.id,
    patient.tenantId,
    patient.userId ?? null,
    patient.givenName,
    patient.familyName,
    patient.dateOfBirth,
    patient.contact.phone ?? null,
    patient.contact.email ?? null,
    patient.contact.preferredChannel,
    patient.address === undefined ? null : JSON.stringify(patient.address),
    patient.medicalRecordNumber ?? null,
    patient.nationalIdCiphertext ?? null,
    patient.nationalIdIndex ?? null,
    patient.notes ?? null,
    JSON.stringify(patient.consent),
    patient.erasedAt ?? null,
    patient.createdAt,
    patient.updatedAt,
    patient.version,
  ];
}

// Only links that change are written: a patient may read their clinic links but not write them,
// so an update that keeps the clinics must not touch the table.
async function replaceClinics(tx: SqlExecutor, patient: StoredPatient): Promise<void> {
  await tx.query(
    `DELETE FROM queue.patient_clinics
     WHERE tenant_id = $1 AND patient_id = $2 AND NOT (clinic_id = ANY ($3::uuid[]))`,
    [patient.tenantId, patient.id, patient.clinicIds],
  );
  await tx.query(
    `INSERT INTO queue.patient_clinics (tenant_id, patient_id, clinic_id, created_at)
     SELECT $1, $2, wanted.clinic_id, $4 FROM unnest($3::uuid[]) AS wanted (clinic_id)
     WHERE NOT EXISTS (SELECT 1 FROM queue.patient_clinics linked
       WHERE linked.tenant_id = $1 AND linked.patient_id = $2
         AND linked.clinic_id = wanted.clinic_id)
     ON CONFLICT DO NOTHING`,
    [patient.tenantId, patient.id, patient.clinicIds, patient.updatedAt],
  );
}

/**
 * Options of {@link sqlPatientRepository}.
 *
 * @example
 * ```ts
 * const options: SqlPatientRepositoryOptions = { executor };
 * ```
 */
export type SqlPatientRepositoryOptions = SqlRepositoryOptions;

/**
 * A {@link PatientRepository} over core's `SqlExecutor` (Postgres 15+, Supabase, PGlite).
 * Row-level security applies on top when the executor runs under `withClaims`.
 *
 * @example
 * ```ts
 * import { withClaims, claimsForActor } from '@carequeue/core/sql';
 * import { sqlPatientRepository } from '@carequeue/queue/postgres';
 *
 * await withClaims(executor, claimsForActor(actor), (tx) =>
 *   sqlPatientRepository({ executor: tx }).get(actor.tenantId, patientId),
 * );
 * ```
 */
export function sqlPatientRepository(options: SqlPatientRepositoryOptions): PatientRepository {
  checkFactoryOptions('sqlPatientRepository', SqlRepositoryOptionsSchema, options);
  const { executor } = options;
  return checkedPatientRepository({
    async insert(patient) {
      await executor.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO queue.patients (id, tenant_id, user_id, given_name, family_name, date_of_birth,
             phone, email, preferred_channel, address, medical_record_number, national_id_ciphertext,
             national_id_index, notes, consent, erased_at, created_at, updated_at, version)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)`,
          columnsOf(patient),
        );
        await replaceClinics(tx, patient);
      });
    },
    async update(patient) {
      await executor.transaction(async (tx) => {
        const { rowCount } = await tx.query(
          `UPDATE queue.patients SET user_id = $3, given_name = $4, family_name = $5,
             date_of_birth = $6, phone = $7, email = $8, preferred_channel = $9, address = $10,
             medical_record_number = $11, national_id_ciphertext = $12, national_id_index = $13,
             notes = $14, consent = $15, erased_at = $16, created_at = $17, updated_at = $18,
             version = $19
           WHERE id = $1 AND tenant_id = $2 AND version = $19 - 1`,
          columnsOf(patient),
        );
        if (rowCount !== 1) throw new StaleVersionError('patient');
        await replaceClinics(tx, patient);
      });
    },
    async get(tenantId, id) {
      const { rows } = await executor.query<PatientRow<unknown>>(
        `${SELECT_PATIENT} WHERE p.tenant_id = $1 AND p.id = $2`,
        [tenantId, id],
      );
      return rows[0] === undefined ? undefined : patientFromRow(rows[0]);
    },
    async getMany(tenantId, ids) {
      const { rows } = await executor.query<PatientRow<unknown>>(
        `${SELECT_PATIENT} WHERE p.tenant_id = $1 AND p.id = ANY ($2::uuid[]) ORDER BY p.id`,
        [tenantId, ids],
      );
      return rows.map(patientFromRow);
    },
    async list(tenantId, page) {
      const limit = pageLimit(page);
      const after = decodeCursor(page.cursor);
      const { rows } = await executor.query<PatientRow<unknown>>(
        `${SELECT_PATIENT} WHERE p.tenant_id = $1 AND ($2::uuid IS NULL OR p.id > $2::uuid)
         ORDER BY p.id LIMIT $3`,
        [tenantId, after ?? null, limit + 1],
      );
      return pageOf(rows.map(patientFromRow), limit);
    },
    async findByNationalIdIndex(tenantId, index) {
      const { rows } = await executor.query<PatientRow<unknown>>(
        `${SELECT_PATIENT} WHERE p.tenant_id = $1 AND p.national_id_index = $2 ORDER BY p.id`,
        [tenantId, index],
      );
      return rows.map(patientFromRow);
    },
    async search(tenantId, criteria, page) {
      const limit = pageLimit(page);
      const after = decodeCursor(page.cursor);
      // Criteria are bound parameters, never spliced into the text, so they stay out of statement logs.
      const { rows } = await executor.query<PatientRow<unknown>>(
        `${SELECT_PATIENT}
         WHERE p.tenant_id = $1 AND p.erased_at IS NULL
           AND ($2::uuid IS NULL OR p.id > $2::uuid)
           AND ($3::uuid IS NULL OR EXISTS (SELECT 1 FROM queue.patient_clinics pc
                WHERE pc.tenant_id = p.tenant_id AND pc.patient_id = p.id AND pc.clinic_id = $3::uuid))
           AND ($4::text IS NULL OR lower(p.given_name) = lower($4::text))
           AND ($5::text IS NULL OR lower(p.family_name) = lower($5::text))
           AND ($6::date IS NULL OR p.date_of_birth = $6::date)
           AND ($7::text IS NULL OR p.phone = $7::text)
         ORDER BY p.id LIMIT $8`,
        [
          tenantId,
          after ?? null,
          criteria.clinicId ?? null,
          criteria.givenName?.trim() ?? null,
          criteria.familyName?.trim() ?? null,
          criteria.dateOfBirth ?? null,
          criteria.phone ?? null,
          limit + 1,
        ],
      );
      return pageOf(rows.map(patientFromRow), limit);
    },
  });
}
