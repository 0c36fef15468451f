import { createHash, type KeyObject } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import type { AuditLog, RetentionClass } from '../audit-event.js';
import { toAuditLog, type EventRow } from '../adapters/event-row.js';
import { payloadHash } from '../canonical-form.js';
import { openCheckpoint, type AuditCheckpoint } from '../checkpoint.js';
import { AuditArchiveInvalidError } from '../errors.js';

/**
 * What one tenant's events in an archive add up to: how many, the sequence range, and the
 * SHA-256 of their payload hashes in sequence order (one per line).
 *
 * @example
 * ```ts
 * const summary: ArchiveTenantSummary = manifest.tenants[0]!;
 * ```
 */
export interface ArchiveTenantSummary {
  readonly tenantId: string;
  readonly eventCount: number;
  readonly firstSequence: number;
  readonly lastSequence: number;
  readonly payloadHashesSha256: string;
}

/**
 * The manifest written beside each archive: which partition, how many events, the SHA-256 of
 * the gzipped file and of its NDJSON content, one summary per tenant, and the signed
 * checkpoints of each tenant's chain head taken before the partition was dropped.
 *
 * @example
 * ```ts
 * const manifest = JSON.parse((await sink.read('events_standard_2019_01.manifest.json')).toString()) as ArchiveManifest;
 * ```
 */
export interface ArchiveManifest {
  readonly version: 'cq-audit-archive-v1';
  readonly partition: string;
  readonly retentionClass: RetentionClass;
  readonly rangeFrom: string;
  readonly rangeTo: string;
  readonly eventCount: number;
  readonly file: string;
  readonly archiveSha256: string;
  readonly contentSha256: string;
  readonly tenants: readonly ArchiveTenantSummary[];
  readonly checkpoints: readonly AuditCheckpoint[];
  readonly createdAt: string;
}

/**
 * Hex SHA-256 of bytes or UTF-8 text.
 *
 * @example
 * ```ts
 * sha256Hex('abc'); // 'ba7816bf...'
 * ```
 */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * One NDJSON line of an archive: the stored event (snake_case columns) and its chain fields.
 *
 * @example
 * ```ts
 * const line = archiveLine(log); // '{"id":"...","sequence":12,"payload_hash":"...",...}\n'
 * ```
 */
export function archiveLine(log: AuditLog): string {
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
 * Checks an archive against its manifest: the SHA-256 of the gzipped bytes and of the content,
 * the number of events, each event's payload hash recomputed from its canonical form, the links
 * between consecutive events of a tenant, each tenant's summary, and (with the public key) the
 * signature of every checkpoint. Returns the archived events.
 *
 * @throws {AuditArchiveInvalidError} naming the first check that failed
 * @example
 * ```ts
 * const events = verifyArchive(manifest, await sink.read(manifest.file), publicKey);
 * ```
 */
export function verifyArchive(
  manifest: ArchiveManifest,
  archive: Uint8Array,
  publicKey?: KeyObject,
): AuditLog[] {
  if (sha256Hex(archive) !== manifest.archiveSha256) {
    throw new AuditArchiveInvalidError('the archive SHA-256 differs from the manifest');
  }
  const content = gunzipSync(archive).toString('utf8');
  if (sha256Hex(content) !== manifest.contentSha256) {
    throw new AuditArchiveInvalidError('the content SHA-256 differs from the manifest');
  }
  const logs = content
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => toAuditLog(JSON.parse(line) as EventRow));
  if (logs.length !== manifest.eventCount) {
    throw new AuditArchiveInvalidError('the number of events differs from the manifest');
  }
  const byTenant = new Map<string, AuditLog[]>();
  for (const log of logs) {
    if (log.sequence === null || log.payloadHash === null || log.previousHash === null) {
      throw new AuditArchiveInvalidError(`event ${log.id} is not sealed`);
    }
    if (payloadHash(log, log.previousHash) !== log.payloadHash) {
      throw new AuditArchiveInvalidError(`event ${log.id} does not match its payload hash`);
    }
    const list = byTenant.get(log.tenantId) ?? [];
    const previous = list[list.length - 1];
    if (
      previous &&
      previous.sequence! + 1 === log.sequence &&
      log.previousHash !== previous.payloadHash
    ) {
      throw new AuditArchiveInvalidError(`event ${log.id} does not link to the event before it`);
    }
    list.push(log);
    byTenant.set(log.tenantId, list);
  }
  const summaries = summarizeTenants(logs);
  if (JSON.stringify(summaries) !== JSON.stringify(manifest.tenants)) {
    throw new AuditArchiveInvalidError('the tenant summaries differ from the manifest');
  }
  if (publicKey) {
    for (const checkpoint of manifest.checkpoints) openCheckpoint(checkpoint, publicKey);
  }
  return logs;
}

/**
 * The per-tenant summaries of archived events (which must be in tenant, then sequence order).
 *
 * @example
 * ```ts
 * const tenants = summarizeTenants(logs);
 * ```
 */
export function summarizeTenants(logs: readonly AuditLog[]): ArchiveTenantSummary[] {
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
    payloadHashesSha256: sha256Hex(list.map((log) => `${log.payloadHash ?? ''}\n`).join('')),
  }));
}
