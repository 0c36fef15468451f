import {
  ClinicId,
  ForbiddenError,
  NotFoundError,
  PatientId,
  TenantId,
  UserId,
  uuidv7,
  ValidationError,
} from '@carequeue/core';
import type { Actor } from '@carequeue/core';
import { SubjectKeyShreddedError } from '@carequeue/core/crypto';
import { describe, expect, it } from 'vitest';
import { StaleVersionError } from '../errors.js';
import { memoryClinicRepository } from '../clinics/index.js';
import { sampleClinic } from '../testing/clinic-repository-contract.js';
import { memoryPatientRepository } from './memory/patient-repository.js';
import { PatientErasedError, PatientSearchEmptyError } from './patient-errors.js';
import { createPatientService, type NewPatient } from './patient-service.js';
import { memoryServiceDependencies, staffActorOf } from '../../test/memory-service-fixture.js';
import { memoryPatientUnitOfWork } from './memory/patient-unit-of-work.js';

const tenantId = TenantId.parse(uuidv7());
const clinicOne = ClinicId.parse(uuidv7());
const clinicTwo = ClinicId.parse(uuidv7());
const nationalId = '123-45-6789';

function staff(roles: Actor['roles'], overrides: Partial<Actor> = {}): Actor {
  return staffActorOf(tenantId, roles, { clinicIds: [clinicOne], ...overrides });
}

const receptionist = staff(['receptionist']);
const admin = staff(['admin'], { clinicIds: [] });
const owner = staff(['owner'], { clinicIds: [] });

function input(overrides: Partial<NewPatient> = {}): NewPatient {
  return {
    givenName: 'Ada',
    familyName: 'Example',
    dateOfBirth: '1980-04-02',
    contact: { phone: '+15555550100', preferredChannel: 'sms' },
    nationalId,
    consent: { sms: true, email: false, dataProcessing: true, recordedAt: '2026-03-02T09:00:00Z' },
    clinicIds: [clinicOne],
    ...overrides,
  };
}

async function setup() {
  const { clock, encryptor, auditStore, audit, cache, events } = memoryServiceDependencies();
  const clinics = memoryClinicRepository();
  for (const id of [clinicOne, clinicTwo]) await clinics.insert(sampleClinic(tenantId, { id }));
  const patients = memoryPatientRepository({ clinics });
  const service = createPatientService({
    unitOfWork: memoryPatientUnitOfWork({ auditStore, patients }),
    audit,
    cache,
    encryptor,
    clock,
  });
  return { clock, encryptor, auditStore, patients, cache, service, events: () => events(tenantId) };
}

function patientActor(patientId: PatientId): Actor {
  return { userId: UserId.parse(uuidv7()), tenantId, roles: ['patient'], aal: 'aal1', patientId };
}

describe('PatientService', () => {
  it('stores the national id only encrypted with a blind index when a patient is created', async () => {
    const { patients, service, events } = await setup();
    const profile = await service.create(receptionist, input());
    expect(profile.nationalId).toBe(nationalId);
    const stored = await patients.get(tenantId, profile.id);
    expect(JSON.stringify(stored)).not.toContain('6789');
    expect(stored?.nationalIdCiphertext).toMatch(/^cq1\.s\./);
    expect(stored?.nationalIdIndex).toBeDefined();
    const [created] = await events();
    expect(created).toMatchObject({
      category: 'modification',
      action: 'create',
      patientId: profile.id,
    });
    expect(JSON.stringify(created)).not.toContain('Ada');
    expect(JSON.stringify(created)).not.toContain('6789');
  });

  it('rejects invalid fields without echoing them when creating', async () => {
    const { service } = await setup();
    const error = await service
      .create(receptionist, input({ dateOfBirth: 'not-a-date-1980' }))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    expect(JSON.stringify(error)).not.toContain('not-a-date-1980');
  });

  it('audits every read, cache hits included, when a profile is read twice', async () => {
    const { patients, service, events } = await setup();
    const { id } = await service.create(receptionist, input());
    const first = await service.get(receptionist, id);
    await patients.update({
      ...(await patients.get(tenantId, id))!,
      givenName: 'Bypass',
      version: 1,
    });
    const second = await service.get(receptionist, id);
    expect(second).toEqual(first);
    expect(second.givenName).toBe('Ada');
    const reads = (await events()).filter((event) => event.action === 'read');
    expect(reads).toHaveLength(2);
    expect(reads.every((event) => event.patientId === id)).toBe(true);
  });

  it('invalidates the cached profile when the patient is updated', async () => {
    const { service, events } = await setup();
    const created = await service.create(receptionist, input());
    await service.get(receptionist, created.id);
    const updated = await service.update(receptionist, created.id, {
      expectedVersion: 0,
      familyName: 'Changed',
      nationalId: '987-65-4321',
    });
    expect(updated.version).toBe(1);
    const read = await service.get(receptionist, created.id);
    expect(read).toMatchObject({ familyName: 'Changed', nationalId: '987-65-4321', version: 1 });
    const change = (await events()).find((event) => event.action === 'update');
    expect(change?.changedFields).toContain('familyName');
    await expect(
      service.update(receptionist, created.id, { expectedVersion: 0, givenName: 'Late' }),
    ).rejects.toThrow(StaleVersionError);
  });

  it('stamps consent with the clock when consent flags are recorded', async () => {
    const { clock, service } = await setup();
    const { id } = await service.create(receptionist, input());
    await clock.advance(60_000);
    const profile = await service.recordConsent(receptionist, id, {
      sms: false,
      email: true,
      dataProcessing: true,
    });
    expect(profile.consent).toEqual({
      sms: false,
      email: true,
      dataProcessing: true,
      recordedAt: new Date(Date.UTC(2026, 2, 2, 9, 1)).toISOString(),
    });
  });

  it('lets a patient read their own profile and not another one', async () => {
    const { service } = await setup();
    const mine = await service.create(receptionist, input());
    const theirs = await service.create(receptionist, input({ givenName: 'Bo' }));
    const self = patientActor(mine.id);
    expect((await service.get(self, mine.id)).givenName).toBe('Ada');
    await expect(service.get(self, theirs.id)).rejects.toThrow(ForbiddenError);
    await expect(service.exportData(self, theirs.id)).rejects.toThrow(ForbiddenError);
  });

  it('refuses staff of another tenant, aal1 staff and receptionists of another clinic', async () => {
    const { service, events } = await setup();
    const { id } = await service.create(receptionist, input());
    const before = (await events()).length;
    const otherTenant = staff(['admin'], { tenantId: TenantId.parse(uuidv7()) });
    await expect(service.get(otherTenant, id)).rejects.toThrow(NotFoundError);
    await expect(service.get(staff(['receptionist'], { aal: 'aal1' }), id)).rejects.toThrow(
      ForbiddenError,
    );
    const elsewhere = staff(['receptionist'], { clinicIds: [clinicTwo] });
    await expect(service.get(elsewhere, id)).rejects.toThrow(ForbiddenError);
    await expect(
      service.update(elsewhere, id, { expectedVersion: 0, givenName: 'X' }),
    ).rejects.toThrow(ForbiddenError);
    await expect(service.create(elsewhere, input())).rejects.toThrow(ForbiddenError);
    await expect(service.erase(receptionist, id)).rejects.toThrow(ForbiddenError);
    expect(await events()).toHaveLength(before);
  });

  it('finds patients by criteria in a request object and audits only the criteria names', async () => {
    const { service, events } = await setup();
    const match = await service.create(receptionist, input());
    await service.create(receptionist, input({ dateOfBirth: '1990-01-01' }));
    await service.create(admin, input({ clinicIds: [clinicTwo] }));
    const page = await service.search(
      receptionist,
      { clinicId: clinicOne, familyName: 'example', dateOfBirth: '1980-04-02' },
      { limit: 10 },
    );
    expect(page.items.map((patient) => patient.id)).toEqual([match.id]);
    expect(page.items[0]?.nationalId).toBeUndefined();
    const search = (await events()).find((event) => event.action === 'search');
    expect(search?.metadata).toEqual({
      searchedBy: ['familyName', 'dateOfBirth'],
      patientIds: [match.id],
    });
    expect(JSON.stringify(search)).not.toContain('1980-04-02');
    const byPhone = await service.search(admin, { phone: '+15555550100' }, {});
    expect(byPhone.items).toHaveLength(3);
  });

  it('refuses a search without criteria, by a patient, or outside the actor clinics', async () => {
    const { service } = await setup();
    await expect(service.search(receptionist, { clinicId: clinicOne }, {})).rejects.toThrow(
      PatientSearchEmptyError,
    );
    await expect(service.search(receptionist, { familyName: 'Example' }, {})).rejects.toThrow(
      ForbiddenError,
    );
    await expect(
      service.search(receptionist, { clinicId: clinicTwo, familyName: 'Example' }, {}),
    ).rejects.toThrow(ForbiddenError);
    const self = patientActor(PatientId.parse(uuidv7()));
    await expect(service.search(self, { familyName: 'Example' }, {})).rejects.toThrow(
      ForbiddenError,
    );
  });

  it('finds a patient by national id through the blind index within the actor scope', async () => {
    const { service } = await setup();
    const mine = await service.create(receptionist, input());
    await service.create(admin, input({ clinicIds: [clinicTwo] }));
    const found = await service.findByNationalId(receptionist, '123-45-6789');
    expect(found.map((patient) => patient.id)).toEqual([mine.id]);
    expect(await service.findByNationalId(admin, '123-45-6789')).toHaveLength(2);
    expect(await service.findByNationalId(admin, '000-00-0000')).toHaveLength(0);
  });

  it('exports every field as JSON and records a disclosure when a patient exports their data', async () => {
    const { service, events } = await setup();
    const created = await service.create(receptionist, input());
    const exported = JSON.parse(await service.exportData(patientActor(created.id), created.id)) as {
      patient: unknown;
      exportedAt: string;
    };
    expect(exported.patient).toEqual(created);
    expect(exported.exportedAt).toBe('2026-03-02T09:00:00.000Z');
    const disclosure = (await events()).find((event) => event.category === 'export');
    expect(disclosure).toMatchObject({ patientId: created.id, recipient: 'data subject' });
  });

  it('pseudonymises, shreds the key and keeps the chain intact when a patient is erased', async () => {
    const { auditStore, encryptor, patients, service, events } = await setup();
    const created = await service.create(receptionist, input());
    await service.update(receptionist, created.id, { expectedVersion: 0, givenName: 'Ada-Lou' });
    await service.get(receptionist, created.id);
    const ciphertext = (await patients.get(tenantId, created.id))!.nationalIdCiphertext!;
    await auditStore.seal(tenantId);
    await service.erase(owner, created.id);
    await service.erase(owner, created.id);
    const stored = await patients.get(tenantId, created.id);
    expect(stored).toMatchObject({ givenName: 'Erased', familyName: 'Erased', version: 2 });
    expect(stored?.erasedAt).toBe('2026-03-02T09:00:00.000Z');
    expect(JSON.stringify(stored)).not.toMatch(/Ada|5555550100|6789/);
    await expect(
      encryptor.decrypt(ciphertext, {
        table: 'queue.patients',
        column: 'national_id',
        rowId: created.id,
        subjectId: created.id,
      }),
    ).rejects.toThrow(SubjectKeyShreddedError);
    await expect(service.get(receptionist, created.id)).rejects.toThrow(PatientErasedError);
    await expect(
      service.update(receptionist, created.id, { expectedVersion: 2, givenName: 'Back' }),
    ).rejects.toThrow(PatientErasedError);
    await expect(service.exportData(owner, created.id)).rejects.toThrow(PatientErasedError);
    expect((await service.search(owner, { familyName: 'Erased' }, {})).items).toHaveLength(0);
    await auditStore.seal(tenantId);
    expect((await auditStore.verify(tenantId)).ok).toBe(true);
    expect((await events()).filter((event) => event.action === 'erase')).toHaveLength(1);
  });

  it('throws NotFoundError when the patient does not exist', async () => {
    const { service } = await setup();
    const missing = PatientId.parse(uuidv7());
    await expect(service.get(admin, missing)).rejects.toThrow(NotFoundError);
    await expect(service.erase(owner, missing)).rejects.toThrow(NotFoundError);
  });
});
