import { createHash } from 'node:crypto';
import type { AuditLog } from '../audit-event.js';
import type { ArchiveTenantSummary } from './archive-manifest.js';

// The unchecked forms of archiveLine and summarizeTenants, for retention, which archives rows it
// read itself (checking each of millions of rows again would only cost time). Internal: the
// package entry does not export this module.

/**
 * One NDJSON line of an archive, for a log read from the database.
 *
 * @example
 * ```ts
 * gzip.write(archiveLineOf(log));
 * ```
 */
export function archiveLineOf(log: AuditLog): string {
  return `${JSON.stringify({
    id: log.id,
    tenant_id: log.tenantId,
    user_id: log.userId,
    category: log.category,
    action: log.action,
    resource_type: log.resourceType,
    resource_id: log.resourceId,
    patient_id: log.patientId,
    outcome: log.outcome,
    old_value: log.oldValue,
    new_value: log.newValue,
    changed_fields: log.changedFields,
    ip_address: log.ipAddress,
    user_agent: log.userAgent,
    timestamp: log.timestamp.toISOString(),
    metadata: log.metadata,
    purpose_of_use: log.purposeOfUse,
    recipient: log.recipient,
    disclosure_basis: log.disclosureBasis,
    session_id: log.sessionId,
    correlation_id: log.correlationId,
    data_categories: log.dataCategories,
    retention_class: log.retentionClass,
    sequence: log.sequence,
    payload_hash: log.payloadHash,
    previous_hash: log.previousHash,
  })}\n`;
}

/**
 * The per-tenant summaries of logs read from the database, in tenant then sequence order.
 *
 * @example
 * ```ts
 * const tenants = tenantSummaries(logs);
 * ```
 */
export function tenantSummaries(logs: readonly AuditLog[]): ArchiveTenantSummary[] {
  const byTenant = new Map<string, AuditLog[]>();
  for (const log of logs) {
    const list = byTenant.get(log.tenantId);
    if (list) list.push(log);
    else byTenant.set(log.tenantId, [log]);
  }
  return [...byTenant].map(([tenantId, list]) => ({
    tenantId,
    eventCount: list.length,
    firstSequence: list[0]?.sequence ?? 0,
    lastSequence: list[list.length - 1]?.sequence ?? 0,
    payloadHashesSha256: createHash('sha256')
      .update(list.map((log) => `${log.payloadHash ?? ''}\n`).join(''))
      .digest('hex'),
  }));
}
