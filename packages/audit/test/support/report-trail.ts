import { randomBytes, randomUUID } from 'node:crypto';
import { createFakeClock, type FakeClock } from '@carequeue/core';
import {
  createFieldEncryptor,
  memorySubjectKeyStore,
  keyringFromConfig,
  type FieldEncryptor,
} from '@carequeue/core/crypto';
import type { AuditStore } from '../../src/audit-store.js';
import { createAuditLogService, type AuditLogService } from '../../src/audit-log-service.js';

/** The trail the report, export and erasure tests share, with the ids they assert on. */
export interface ReportTrail {
  readonly tenantId: string;
  readonly patientId: string;
  readonly otherPatientId: string;
  readonly clinician: string;
  readonly nurse: string;
  readonly intruder: string;
  readonly clock: FakeClock;
  readonly audit: AuditLogService;
  readonly encryptor: FieldEncryptor;
  /** The given name recorded (encrypted) in the patient's modification event. */
  readonly givenName: string;
}

/** A field encryptor with a fresh master key and an in-memory subject key store. */
export function testEncryptor(): FieldEncryptor {
  return createFieldEncryptor({
    keys: keyringFromConfig({ current: 'k1', keys: { k1: randomBytes(32).toString('base64') } }),
    subjectKeys: memorySubjectKeyStore(),
  });
}

/**
 * Writes, through the service, a small trail covering every report: reads, a change with an
 * encrypted given name, disclosures (accounted, unaccounted, too old, hostile recipient text),
 * an after-hours read, a failed login, break-glass, and one user reading four patients in a day.
 * The clock ends at 2026-02-01T12:00:00Z; every event is sealed.
 */
export async function seedReportTrail(store: AuditStore): Promise<ReportTrail> {
  const tenantId = randomUUID();
  const patientId = randomUUID();
  const otherPatientId = randomUUID();
  const clinician = randomUUID();
  const nurse = randomUUID();
  const intruder = randomUUID();
  const givenName = 'Adelheid';
  const clock = createFakeClock(Date.UTC(2018, 5, 4, 10, 0, 0));
  const encryptor = testEncryptor();
  const audit = createAuditLogService({ store, clock, encryptor });
  const at = (iso: string): void => clock.set(new Date(iso));
  const patient = `Patient/${patientId}`;

  await audit.logDataExport(nurse, patientId, ['allergies'], {
    tenantId,
    recipient: 'County health department',
    purposeOfUse: 'PUBHLTH',
    legalBasis: '45 CFR 164.512(b)',
  });
  at('2026-01-05T10:00:00Z');
  await audit.logDataAccess(
    clinician,
    patient,
    'read',
    {},
    { tenantId, purposeOfUse: 'TREAT', dataCategories: ['demographics'] },
  );
  at('2026-01-06T11:00:00Z');
  await audit.logDataModification(
    clinician,
    patient,
    { givenName: 'Ada', status: 'new' },
    { givenName, status: 'active' },
    { tenantId, purposeOfUse: 'TREAT' },
  );
  at('2026-01-07T09:00:00Z');
  await audit.logDataExport(nurse, patientId, ['billing'], {
    tenantId,
    recipient: 'Acme Insurance',
    purposeOfUse: 'HPAYMT',
    legalBasis: '45 CFR 164.506(c)',
  });
  at('2026-01-08T09:30:00Z');
  await audit.logDataExport(nurse, patientId, ['immunizations', 'demographics'], {
    tenantId,
    recipient: 'State immunization registry',
    purposeOfUse: 'PUBHLTH',
    legalBasis: '45 CFR 164.512(b)',
    dataCategories: ['immunizations', 'demographics'],
  });
  at('2026-01-09T10:00:00Z');
  await audit.logDataExport(nurse, patientId, ['notes'], {
    tenantId,
    recipient: '=HYPERLINK("http://evil.example","x") <script>alert(1)</script>',
    purposeOfUse: 'HLEGAL',
    legalBasis: 'subpoena',
  });
  at('2026-01-10T23:30:00Z');
  await audit.logDataAccess(nurse, patient, 'read', {}, { tenantId, purposeOfUse: 'TREAT' });
  at('2026-01-11T08:00:00Z');
  await audit.logAuthEvent('login_failed', {
    tenantId,
    userId: intruder,
    outcome: 'failure',
    ipAddress: '203.0.113.9',
  });
  await audit.logAuthEvent('break_glass', {
    tenantId,
    userId: nurse,
    patientId,
    resource: patient,
    purposeOfUse: 'ETREAT',
    metadata: { reason: 'unconscious patient in ER' },
  });
  at('2026-01-11T08:05:00Z');
  await audit.logDataAccess(nurse, patient, 'read', {}, { tenantId, purposeOfUse: 'ETREAT' });
  at('2026-01-12T09:00:00Z');
  await audit.logDataAccess(
    intruder,
    `Patient/${otherPatientId}`,
    'read',
    {},
    { tenantId, purposeOfUse: 'TREAT' },
  );
  for (let index = 0; index < 3; index += 1) {
    clock.set(Date.UTC(2026, 0, 12, 9, 10 + index));
    await audit.logDataAccess(
      intruder,
      `Patient/${randomUUID()}`,
      'read',
      {},
      { tenantId, purposeOfUse: 'HOPERAT' },
    );
  }
  at('2026-01-13T10:00:00Z');
  await audit.logDataAccess(
    clinician,
    `Patient/${otherPatientId}`,
    'search',
    { query: { family: 'x' } },
    { tenantId, patientId: null, purposeOfUse: 'TREAT' },
  );
  at('2026-02-01T12:00:00Z');
  await store.seal(tenantId);
  return {
    tenantId,
    patientId,
    otherPatientId,
    clinician,
    nurse,
    intruder,
    clock,
    audit,
    encryptor,
    givenName,
  };
}
