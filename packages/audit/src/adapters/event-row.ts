import { auditEventIssues, checkArguments } from '../argument-checks.js';
import type { AuditEvent, AuditJsonValue, AuditLog } from '../audit-event.js';

/** A row of `audit.events` joined with its chain row, as Postgres and PostgREST return it. */
export interface EventRow {
  id: string;
  tenant_id: string;
  user_id: string | null;
  category: AuditLog['category'];
  action: string;
  resource_type: string;
  resource_id: string | null;
  patient_id: string | null;
  outcome: AuditLog['outcome'];
  old_value: AuditJsonValue | null;
  new_value: AuditJsonValue | null;
  changed_fields: string[];
  ip_address: string | null;
  user_agent: string | null;
  timestamp: Date | string;
  metadata: { [key: string]: AuditJsonValue };
  purpose_of_use: AuditLog['purposeOfUse'];
  recipient: string | null;
  disclosure_basis: string | null;
  session_id: string | null;
  correlation_id: string | null;
  data_categories: string[];
  retention_class: AuditLog['retentionClass'];
  sequence: string | number | bigint | null;
  payload_hash: string | null;
  previous_hash: string | null;
}

/**
 * The snake_case row of an event, as `audit.append_events` and PostgREST inserts take it.
 *
 * @throws {ValidationError} when `event` is not a whole, valid audit event
 * @example
 * ```ts
 * await executor.query('SELECT audit.append_events($1::jsonb)', [JSON.stringify([toEventRecord(event)])]);
 * ```
 */
export function toEventRecord(event: AuditEvent): Record<string, unknown> {
  checkArguments('toEventRecord', auditEventIssues(event, 'event'));
  return eventRecordOf(event);
}

/**
 * {@link toEventRecord} for events the caller has already checked (a store's append).
 *
 * @example
 * ```ts
 * const records = checkedEvents.map(eventRecordOf);
 * ```
 */
export function eventRecordOf(event: AuditEvent): Record<string, unknown> {
  return {
    id: event.id,
    tenant_id: event.tenantId,
    user_id: event.userId,
    category: event.category,
    action: event.action,
    resource_type: event.resourceType,
    resource_id: event.resourceId,
    patient_id: event.patientId,
    outcome: event.outcome,
    old_value: event.oldValue,
    new_value: event.newValue,
    changed_fields: event.changedFields,
    ip_address: event.ipAddress,
    user_agent: event.userAgent,
    timestamp: event.timestamp.toISOString(),
    metadata: event.metadata,
    purpose_of_use: event.purposeOfUse,
    recipient: event.recipient,
    disclosure_basis: event.disclosureBasis,
    session_id: event.sessionId,
    correlation_id: event.correlationId,
    data_categories: event.dataCategories,
    retention_class: event.retentionClass,
  };
}

/**
 * The stored event of a row, with its chain fields (null while unsealed).
 *
 * @example
 * ```ts
 * const logs = rows.map(toAuditLog);
 * ```
 */
export function toAuditLog(row: EventRow): AuditLog {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    userId: row.user_id,
    category: row.category,
    action: row.action,
    resourceType: row.resource_type,
    resourceId: row.resource_id,
    patientId: row.patient_id,
    outcome: row.outcome,
    oldValue: row.old_value,
    newValue: row.new_value,
    changedFields: row.changed_fields,
    ipAddress: row.ip_address,
    userAgent: row.user_agent,
    timestamp: new Date(row.timestamp),
    metadata: row.metadata,
    purposeOfUse: row.purpose_of_use,
    recipient: row.recipient,
    disclosureBasis: row.disclosure_basis,
    sessionId: row.session_id,
    correlationId: row.correlation_id,
    dataCategories: row.data_categories,
    retentionClass: row.retention_class,
    sequence: row.sequence === null ? null : Number(row.sequence),
    payloadHash: row.payload_hash,
    previousHash: row.previous_hash,
  };
}
