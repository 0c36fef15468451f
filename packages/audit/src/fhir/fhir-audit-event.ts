import type { ErrorIssue } from '@carequeue/core';
import {
  auditLogIssues,
  checkArguments,
  dateIssues,
  isRecord,
  listIssues,
  objectIssues,
  textIssues,
} from '../argument-checks.js';
import type { AuditLog } from '../audit-event.js';
import type { FhirAuditBundle, FhirAuditEvent, FhirCoding, FhirReference } from './fhir-types.js';

const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
const EVENT_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-event-type';
const INTERACTION = 'http://hl7.org/fhir/restful-interaction';
const ENTITY_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-entity-type';
const OBJECT_ROLE = 'http://terminology.hl7.org/CodeSystem/object-role';
const ACT_REASON = 'http://terminology.hl7.org/CodeSystem/v3-ActReason';
const SECURITY_ROLE = 'http://terminology.hl7.org/CodeSystem/extra-security-role-type';
const SOURCE_TYPE = 'http://terminology.hl7.org/CodeSystem/security-source-type';
const LIFECYCLE = 'http://terminology.hl7.org/CodeSystem/iso-21089-lifecycle';

/**
 * The canonical base of the IHE Basic Audit Log Patterns (BALP) profiles.
 *
 * @example
 * ```ts
 * `${BALP_PROFILE_BASE}IHE.BasicAudit.PatientRead`;
 * ```
 */
export const BALP_PROFILE_BASE = 'https://profiles.ihe.net/ITI/BALP/StructureDefinition/';

// FHIR R4 resource types CareQueue events name; other types are exported as identifiers.
const FHIR_RESOURCE_TYPES = new Set([
  'Patient',
  'Practitioner',
  'PractitionerRole',
  'Organization',
  'Location',
  'Appointment',
  'Schedule',
  'Slot',
  'Encounter',
  'HealthcareService',
]);

/**
 * Options of the FHIR export: the system that observed the events (`source.observer`) and its
 * site.
 *
 * @example
 * ```ts
 * const options: FhirExportOptions = { observer: { display: 'clinic-api' }, site: 'eu-west-1' };
 * ```
 */
export interface FhirExportOptions {
  /** @default { display: 'carequeue' } */
  readonly observer?: FhirReference;
  readonly site?: string;
}

type Interaction = 'create' | 'read' | 'update' | 'delete' | 'query';

const INTERACTIONS: Readonly<
  Record<Interaction, { code: string; action: FhirAuditEvent['action']; profile: string }>
> = {
  create: { code: 'create', action: 'C', profile: 'Create' },
  read: { code: 'read', action: 'R', profile: 'Read' },
  update: { code: 'update', action: 'U', profile: 'Update' },
  delete: { code: 'delete', action: 'D', profile: 'Delete' },
  query: { code: 'search-type', action: 'E', profile: 'Query' },
};

const dcm = (code: string, display: string): FhirCoding => ({ system: DCM, code, display });

// The DICOM audit event types of authentication and security events, and their subtypes.
const USER_AUTHENTICATION = dcm('110114', 'User Authentication');
const SECURITY_ALERT = dcm('110113', 'Security Alert');
const LOGIN = { type: USER_AUTHENTICATION, subtype: dcm('110122', 'Login') };
const securityAlert = (code: string, display: string) => ({
  type: SECURITY_ALERT,
  subtype: dcm(code, display),
});

const AUTH_SUBTYPES: Readonly<Record<string, { type: FhirCoding; subtype: FhirCoding }>> = {
  login: LOGIN,
  login_failed: LOGIN,
  mfa_challenge: LOGIN,
  logout: { type: USER_AUTHENTICATION, subtype: dcm('110123', 'Logout') },
  role_change: securityAlert('110136', 'Security Roles Changed'),
  permission_change: securityAlert('110137', 'User security Attributes Changed'),
  break_glass: securityAlert('110127', 'Emergency Override Started'),
  audit_config_change: securityAlert('110129', 'Security Configuration'),
};

function interactionOf(log: AuditLog): Interaction {
  if (log.category === 'access') {
    return ['search', 'query', 'list'].includes(log.action) ? 'query' : 'read';
  }
  if (log.action === 'create' || log.action === 'delete') return log.action;
  return 'update';
}

function outcomeOf(log: AuditLog): Pick<FhirAuditEvent, 'outcome' | 'outcomeDesc'> {
  if (log.outcome === 'success') return { outcome: '0' };
  if (log.outcome === 'denied')
    return { outcome: '4', outcomeDesc: 'Refused: the user was not authorized.' };
  return { outcome: '8', outcomeDesc: 'The action failed.' };
}

function resourceReference(log: AuditLog): FhirReference {
  if (log.resourceId === null) return { display: log.resourceType };
  return FHIR_RESOURCE_TYPES.has(log.resourceType)
    ? { reference: `${log.resourceType}/${log.resourceId}` }
    : { identifier: { system: `urn:carequeue:${log.resourceType}`, value: log.resourceId } };
}

function purpose(log: AuditLog): { coding: FhirCoding[] }[] | undefined {
  return log.purposeOfUse
    ? [{ coding: [{ system: ACT_REASON, code: log.purposeOfUse }] }]
    : undefined;
}

function agents(log: AuditLog, observer: FhirReference): FhirAuditEvent['agent'] {
  const purposeOfUse = purpose(log);
  const user = {
    type: { coding: [{ system: SECURITY_ROLE, code: 'humanuser', display: 'human user' }] },
    who: log.userId ? { identifier: { value: log.userId } } : { display: 'unknown user' },
    requestor: true,
    ...(purposeOfUse ? { purposeOfUse } : {}),
  };
  const client = log.ipAddress
    ? [
        {
          type: { coding: [dcm('110153', 'Source Role ID')] },
          who: { display: 'client' },
          requestor: false,
          network: { address: log.ipAddress, type: '2' as const },
        },
      ]
    : [];
  const destination =
    log.category === 'export' ? { display: log.recipient ?? 'recipient not recorded' } : observer;
  return [
    user,
    ...client,
    {
      type: { coding: [dcm('110152', 'Destination Role ID')] },
      who: destination,
      requestor: false,
    },
  ];
}

function entities(
  log: AuditLog,
  interaction: Interaction | null,
): NonNullable<FhirAuditEvent['entity']> {
  const detail = [
    ...(log.changedFields.length > 0
      ? [{ type: 'changedFields', valueString: log.changedFields.join(',') }]
      : []),
    ...(log.dataCategories.length > 0
      ? [{ type: 'dataCategories', valueString: log.dataCategories.join(',') }]
      : []),
    ...(log.sequence !== null
      ? [{ type: 'chainSequence', valueString: String(log.sequence) }]
      : []),
    ...(log.payloadHash ? [{ type: 'payloadHash', valueString: log.payloadHash }] : []),
  ];
  const result: NonNullable<FhirAuditEvent['entity']>[number][] = [];
  if (log.patientId !== null) {
    result.push({
      what: { reference: `Patient/${log.patientId}` },
      type: { system: ENTITY_TYPE, code: '1', display: 'Person' },
      role: { system: OBJECT_ROLE, code: '1', display: 'Patient' },
    });
  }
  if (interaction === 'query') {
    const query = log.metadata.query ?? {};
    result.push({
      type: { system: ENTITY_TYPE, code: '2', display: 'System Object' },
      role: { system: OBJECT_ROLE, code: '24', display: 'Query' },
      query: Buffer.from(JSON.stringify(query), 'utf8').toString('base64'),
      ...(detail.length > 0 ? { detail } : {}),
    });
  } else if (!(
    log.resourceType === 'Patient' &&
    log.resourceId === log.patientId &&
    detail.length === 0
  )) {
    result.push({
      what: resourceReference(log),
      type: { system: ENTITY_TYPE, code: '2', display: 'System Object' },
      role: { system: OBJECT_ROLE, code: '4', display: 'Domain Resource' },
      ...(detail.length > 0 ? { detail } : {}),
    });
  }
  return result;
}

// The export options: an observer reference and a site name, both plain text.
function exportOptionsIssues(value: unknown, path: string): ErrorIssue[] {
  if (!isRecord(value)) return objectIssues(value, path);
  const observer = value['observer'];
  return [
    ...textIssues(value['site'], `${path}.site`, { optional: true }),
    ...(observer === undefined
      ? []
      : isRecord(observer)
        ? [
            ...textIssues(observer['reference'], `${path}.observer.reference`, { optional: true }),
            ...textIssues(observer['type'], `${path}.observer.type`, { optional: true }),
            ...textIssues(observer['display'], `${path}.observer.display`, { optional: true }),
            ...(observer['identifier'] === undefined ||
            (isRecord(observer['identifier']) &&
              typeof observer['identifier']['value'] === 'string')
              ? []
              : [{ path: `${path}.observer.identifier`, message: 'must be { system?, value }' }]),
          ]
        : objectIssues(observer, `${path}.observer`)),
  ];
}

/**
 * Converts one audit event to a FHIR R4 AuditEvent shaped like the IHE BALP profiles: reads,
 * creates, updates, deletes and queries (with the `Patient*` variant and a patient entity when
 * the event names a patient), privacy disclosures at the source (DCM 110106 Export, ISO 21089
 * `disclose`, the recipient as destination agent), and authentication and security events with
 * their DICOM codes. Old and new values are never exported; changed field names are.
 *
 * @example
 * ```ts
 * const resource = toFhirAuditEvent(log, { observer: { display: 'clinic-api' } });
 * resource.meta?.profile; // ['https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.PatientRead']
 * ```
 */
export function toFhirAuditEvent(log: AuditLog, options: FhirExportOptions = {}): FhirAuditEvent {
  checkArguments(
    'toFhirAuditEvent',
    auditLogIssues(log, 'log'),
    exportOptionsIssues(options, 'options'),
  );
  return fhirEventOf(log, options);
}

function fhirEventOf(log: AuditLog, options: FhirExportOptions): FhirAuditEvent {
  const observer = options.observer ?? { display: 'carequeue' };
  const source = {
    ...(options.site ? { site: options.site } : {}),
    observer,
    type: [{ system: SOURCE_TYPE, code: '4', display: 'Application Server' }],
  };
  const base = {
    resourceType: 'AuditEvent' as const,
    id: log.id,
    recorded: log.timestamp.toISOString(),
    ...outcomeOf(log),
    ...(purpose(log) ? { purposeOfEvent: purpose(log) } : {}),
    agent: agents(log, observer),
    source,
  };
  if (log.category === 'auth') {
    const codes = AUTH_SUBTYPES[log.action] ?? AUTH_SUBTYPES.audit_config_change!;
    return {
      ...base,
      type: codes.type,
      subtype: [codes.subtype],
      action: 'E',
      entity: entities(log, null),
    };
  }
  if (log.category === 'export') {
    return {
      ...base,
      meta: { profile: [`${BALP_PROFILE_BASE}IHE.BasicAudit.PrivacyDisclosure.Source`] },
      type: dcm('110106', 'Export'),
      subtype: [
        { system: LIFECYCLE, code: 'disclose', display: 'Disclose Record Lifecycle Event' },
      ],
      action: 'R',
      entity: entities(log, null),
    };
  }
  const interaction = interactionOf(log);
  const spec = INTERACTIONS[interaction];
  const patientVariant = log.patientId !== null ? 'Patient' : '';
  return {
    ...base,
    meta: { profile: [`${BALP_PROFILE_BASE}IHE.BasicAudit.${patientVariant}${spec.profile}`] },
    type: { system: EVENT_TYPE, code: 'rest', display: 'Restful Operation' },
    subtype: [{ system: INTERACTION, code: spec.code }],
    action: spec.action,
    entity: entities(log, interaction),
  };
}

/**
 * Wraps events in a FHIR R4 Bundle of type `collection`, one entry per event.
 *
 * @example
 * ```ts
 * const bundle = toFhirBundle(logs, { observer: { display: 'clinic-api' } }, new Date());
 * await writeFile('audit.json', JSON.stringify(bundle));
 * ```
 */
export function toFhirBundle(
  logs: readonly AuditLog[],
  options: FhirExportOptions = {},
  timestamp: Date = new Date(),
): FhirAuditBundle {
  checkArguments(
    'toFhirBundle',
    listIssues(logs, 'logs', auditLogIssues),
    exportOptionsIssues(options, 'options'),
    dateIssues(timestamp, 'timestamp'),
  );
  return {
    resourceType: 'Bundle',
    id: `audit-export-${timestamp.getTime()}`,
    type: 'collection',
    timestamp: timestamp.toISOString(),
    entry: logs.map((log) => ({
      fullUrl: `urn:uuid:${log.id}`,
      resource: fhirEventOf(log, options),
    })),
  };
}

/**
 * Renders events as FHIR NDJSON (bulk data format): one AuditEvent per line.
 *
 * @example
 * ```ts
 * await writeFile('AuditEvent.ndjson', toFhirNdjson(logs));
 * ```
 */
export function toFhirNdjson(logs: readonly AuditLog[], options: FhirExportOptions = {}): string {
  checkArguments(
    'toFhirNdjson',
    listIssues(logs, 'logs', auditLogIssues),
    exportOptionsIssues(options, 'options'),
  );
  return logs.map((log) => `${JSON.stringify(fhirEventOf(log, options))}\n`).join('');
}
