import { PatientId, uuidv7, ValidationError, type ClinicId, type TenantId } from '@carequeue/core';
import { ForeignKeyViolationError } from '@carequeue/core/sql';
import { StaleVersionError } from '../errors.js';
import type { PatientRepository, StoredPatient } from '../patients/index.js';
import type { ContractFixtures, ContractRunner } from './contract-types.js';
import { contractCase, idsOfEveryPage } from './contract-cases.js';

/**
 * Options of {@link runPatientRepositoryContract}.
 *
 * @example
 * ```ts
 * const options: PatientRepositoryContractOptions = { name: 'memory', create: memoryPatientRepository, fixtures };
 * ```
 */
export interface PatientRepositoryContractOptions {
  readonly name: string;
  readonly create: () => PatientRepository;
  readonly fixtures: ContractFixtures;
}

/**
 * A patient to store in contract tests, with every optional field set.
 *
 * @example
 * ```ts
 * await repo.insert(samplePatient(tenantId, [clinicId]));
 * ```
 */
export function samplePatient(
  tenantId: TenantId,
  clinicIds: readonly ClinicId[],
  overrides: Partial<StoredPatient> = {},
): StoredPatient {
  return {
    id: PatientId.parse(uuidv7()),
    tenantId,
    givenName: 'Ada',
    familyName: 'Example',
    dateOfBirth: '1980-04-02',
    contact: { phone: '+15555550100', email: 'ada@example.org', preferredChannel: 'sms' },
    address: { line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' },
    medicalRecordNumber: 'MRN-1',
    nationalIdCiphertext: 'v1.key.ciphertext',
    nationalIdIndex: 'index-1',
    notes: 'Prefers mornings',
    consent: {
      sms: true,
      email: false,
      dataProcessing: true,
      recordedAt: '2026-03-02T09:00:00.000Z',
    },
    clinicIds,
    createdAt: '2026-03-02T09:00:00.000Z',
    updatedAt: '2026-03-02T09:00:00.000Z',
    version: 0,
    ...overrides,
  };
}

/**
 * The contract every {@link PatientRepository} passes: round trips, tenant isolation, optimistic
 * versions, blind-index lookup, search and cursor pagination.
 *
 * @example
 * ```ts
 * import { describe, expect, it } from 'vitest';
 * import { runPatientRepositoryContract } from '@carequeue/queue/testing';
 *
 * runPatientRepositoryContract({ describe, it, expect }, { name: 'memory', create: memoryPatientRepository, fixtures });
 * ```
 */
export function runPatientRepositoryContract(
  { describe, it, expect }: ContractRunner,
  { name, create, fixtures }: PatientRepositoryContractOptions,
): void {
  const test = contractCase(it, create, fixtures);

  describe(`PatientRepository contract (${name})`, () => {
    test('refuses a non-UUID patient or tenant id with a ValidationError on every adapter, not a 404 on memory and a 502 on SQL', async ({
      repo,
      tenantId,
    }) => {
      const malformed = 'patient-1' as PatientId;
      await expect(repo.get(tenantId, malformed)).rejects.toThrow(ValidationError);
      await expect(repo.get('tenant-1' as TenantId, PatientId.parse(uuidv7()))).rejects.toThrow(
        ValidationError,
      );
      await expect(repo.getMany(tenantId, [malformed])).rejects.toThrow(ValidationError);
      await expect(repo.insert({ ...samplePatient(tenantId, []), id: malformed })).rejects.toThrow(
        ValidationError,
      );
    });

    test('refuses a NUL byte in a patient name with a ValidationError on every adapter and stores nothing, not a 502 on Postgres', async ({
      repo,
      tenantId,
    }) => {
      const patient = samplePatient(tenantId, [], { givenName: 'Ada\u0000' });
      await expect(repo.insert(patient)).rejects.toThrow(ValidationError);
      expect(await repo.get(tenantId, patient.id)).toBeUndefined();
    });

    it("refuses to register tenant B's patient at tenant A's clinic on every adapter, not accepted by memory and refused by SQL", async () => {
      const repo = create();
      const tenantA = await fixtures.tenant();
      const tenantB = await fixtures.tenant();
      const clinicOfA = await fixtures.clinic(tenantA);
      const intruder = samplePatient(tenantB, [clinicOfA]);
      await expect(repo.insert(intruder)).rejects.toThrow(ForeignKeyViolationError);
      expect(await repo.get(tenantB, intruder.id)).toBeUndefined();
      const patient = samplePatient(tenantB, []);
      await repo.insert(patient);
      await expect(repo.update({ ...patient, clinicIds: [clinicOfA], version: 1 })).rejects.toThrow(
        ForeignKeyViolationError,
      );
      expect(await repo.get(tenantB, patient.id)).toEqual(patient);
    });

    test('reads back every field when a patient was inserted', async ({ repo, tenantId }) => {
      const clinicId = await fixtures.clinic(tenantId);
      const patient = samplePatient(tenantId, [clinicId]);
      await repo.insert(patient);
      expect(await repo.get(tenantId, patient.id)).toEqual(patient);
    });

    test('keeps optional fields absent when they were not set', async ({ repo, tenantId }) => {
      const patient: StoredPatient = {
        id: PatientId.parse(uuidv7()),
        tenantId,
        givenName: 'Bo',
        familyName: 'Example',
        dateOfBirth: '1990-01-01',
        contact: { preferredChannel: 'none' },
        consent: {
          sms: false,
          email: false,
          dataProcessing: true,
          recordedAt: '2026-03-02T09:00:00.000Z',
        },
        clinicIds: [],
        createdAt: '2026-03-02T09:00:00.000Z',
        updatedAt: '2026-03-02T09:00:00.000Z',
        version: 0,
      };
      await repo.insert(patient);
      expect(await repo.get(tenantId, patient.id)).toEqual(patient);
    });

    test('hides a patient from another tenant when it reads', async ({
      repo,
      tenantId: tenantA,
    }) => {
      const tenantB = await fixtures.tenant();
      const patient = samplePatient(tenantA, []);
      await repo.insert(patient);
      expect(await repo.get(tenantB, patient.id)).toBeUndefined();
      expect((await repo.list(tenantB, {})).items).toHaveLength(0);
      expect(await repo.getMany(tenantB, [patient.id])).toHaveLength(0);
      expect(await repo.findByNationalIdIndex(tenantB, 'index-1')).toHaveLength(0);
      await expect(
        repo.update({ ...samplePatient(tenantB, []), id: patient.id, version: 1 }),
      ).rejects.toThrow(StaleVersionError);
    });

    test('rejects an insert when the id is taken', async ({ repo, tenantId }) => {
      const patient = samplePatient(tenantId, []);
      await repo.insert(patient);
      await expect(repo.insert(patient)).rejects.toThrow();
    });

    test('applies an update and its clinic changes when the version follows the stored one', async ({
      repo,
      tenantId,
    }) => {
      const clinicOne = await fixtures.clinic(tenantId);
      const clinicTwo = await fixtures.clinic(tenantId);
      const patient = samplePatient(tenantId, [clinicOne]);
      await repo.insert(patient);
      const updated = { ...patient, familyName: 'Changed', clinicIds: [clinicTwo], version: 1 };
      await repo.update(updated);
      expect(await repo.get(tenantId, patient.id)).toEqual(updated);
      await expect(repo.update({ ...updated, version: 1 })).rejects.toThrow(StaleVersionError);
    });

    test('finds patients by blind index when the index matches', async ({ repo, tenantId }) => {
      const match = samplePatient(tenantId, [], { nationalIdIndex: 'wanted' });
      await repo.insert(match);
      await repo.insert(samplePatient(tenantId, [], { nationalIdIndex: 'other' }));
      const found = await repo.findByNationalIdIndex(tenantId, 'wanted');
      expect(found.map((patient) => patient.id)).toEqual([match.id]);
    });

    test('returns only live patients matching every criterion when searching', async ({
      repo,
      tenantId,
    }) => {
      const otherTenant = await fixtures.tenant();
      const clinicId = await fixtures.clinic(tenantId);
      const match = samplePatient(tenantId, [clinicId], { familyName: 'Searched' });
      await repo.insert(match);
      await repo.insert(samplePatient(tenantId, [], { familyName: 'Searched' }));
      await repo.insert(
        samplePatient(tenantId, [clinicId], { familyName: 'Searched', dateOfBirth: '1999-09-09' }),
      );
      await repo.insert(
        samplePatient(tenantId, [clinicId], {
          familyName: 'Searched',
          erasedAt: '2026-03-03T09:00:00.000Z',
        }),
      );
      await repo.insert(samplePatient(otherTenant, [], { familyName: 'Searched' }));
      const page = await repo.search(
        tenantId,
        {
          clinicId,
          givenName: ' ada ',
          familyName: 'SEARCHED',
          dateOfBirth: '1980-04-02',
          phone: '+15555550100',
        },
        {},
      );
      expect(page.items.map((patient) => patient.id)).toEqual([match.id]);
      const byName = await repo.search(tenantId, { familyName: 'searched' }, { limit: 1 });
      expect(byName.items).toHaveLength(1);
      const rest = await repo.search(
        tenantId,
        { familyName: 'searched' },
        { limit: 5, cursor: byName.nextCursor },
      );
      expect(rest.items).toHaveLength(2);
      expect(rest.nextCursor).toBeUndefined();
    });

    test('returns every patient once in id order when paging through the list', async ({
      repo,
      tenantId,
    }) => {
      const inserted: StoredPatient[] = [];
      for (let index = 0; index < 7; index += 1) {
        const patient = samplePatient(tenantId, []);
        inserted.push(patient);
        await repo.insert(patient);
      }
      const seen = await idsOfEveryPage((cursor) => repo.list(tenantId, { limit: 3, cursor }));
      expect(seen).toEqual(inserted.map((patient) => patient.id).sort());
      const many = await repo.getMany(tenantId, [inserted[2]!.id, inserted[0]!.id]);
      expect(many.map((patient) => patient.id)).toEqual([inserted[0]!.id, inserted[2]!.id].sort());
    });
  });
}
