import { createHash, type KeyObject } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import type { AuditLog, RetentionClass } from '../audit-event.js';
import { toAuditLog, type EventRow } from '../adapters/event-row.js';
import { archiveLineOf, tenantSummaries } from './archive-lines.js';
import {
  auditLogIssues,
  checkArguments,
  hashIssues,
  integerIssues,
  isRecord,
  signingKeyIssues,
  listIssues,
  oneOfIssues,
  textIssues,
  uuidIssues,
} from '../argument-checks.js';
import { payloadHash } from '../canonical-form.js';
import { checkpointIssues } from '../checkpoint-signing.js';
import { openCheckpoint, type AuditCheckpoint } from '../checkpoint.js';
import { AuditArchiveInvalidError } from '../errors.js';
import type { ErrorIssue } from '@carequeue/core';

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
  checkArguments(
    'sha256Hex',
    typeof data === 'string' || data instanceof Uint8Array
      ? []
      : [{ path: 'data', message: 'must be a string or a Uint8Array' }],
  );
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
  checkArguments('archiveLine', auditLogIssues(log, 'log'));
  return archiveLineOf(log);
}

function summaryIssues(value: unknown, path: string): ErrorIssue[] {
  if (!isRecord(value)) return [{ path, message: 'must be a tenant summary object' }];
  const count = { min: 0, max: Number.MAX_SAFE_INTEGER };
  return [
    ...uuidIssues(value['tenantId'], `${path}.tenantId`),
    ...integerIssues(value['eventCount'], `${path}.eventCount`, count),
    ...integerIssues(value['firstSequence'], `${path}.firstSequence`, count),
    ...integerIssues(value['lastSequence'], `${path}.lastSequence`, count),
    ...hashIssues(value['payloadHashesSha256'], `${path}.payloadHashesSha256`),
  ];
}

// The manifest as retention writes it, read back from JSON: every field of its type.
function manifestIssues(value: unknown, path: string): ErrorIssue[] {
  if (!isRecord(value)) return [{ path, message: 'must be an archive manifest object' }];
  const at = (field: string): string => `${path}.${field}`;
  return [
    ...(value['version'] === 'cq-audit-archive-v1'
      ? []
      : [{ path: at('version'), message: 'must be cq-audit-archive-v1' }]),
    ...textIssues(value['partition'], at('partition'), { max: 63 }),
    ...oneOfIssues(value['retentionClass'], at('retentionClass'), ['standard', 'extended']),
    ...textIssues(value['rangeFrom'], at('rangeFrom'), { max: 64 }),
    ...textIssues(value['rangeTo'], at('rangeTo'), { max: 64 }),
    ...integerIssues(value['eventCount'], at('eventCount'), {
      min: 0,
      max: Number.MAX_SAFE_INTEGER,
    }),
    ...textIssues(value['file'], at('file'), { max: 255 }),
    ...hashIssues(value['archiveSha256'], at('archiveSha256')),
    ...hashIssues(value['contentSha256'], at('contentSha256')),
    ...listIssues(value['tenants'], at('tenants'), summaryIssues),
    ...listIssues(value['checkpoints'], at('checkpoints'), checkpointIssues),
    ...textIssues(value['createdAt'], at('createdAt'), { max: 64 }),
  ];
}

function parseLines(content: string): AuditLog[] {
  const logs: AuditLog[] = [];
  for (const [index, line] of content.split('\n').entries()) {
    if (line === '') continue;
    let log: AuditLog;
    try {
      log = toAuditLog(JSON.parse(line) as EventRow);
    } catch (error: unknown) {
      throw new AuditArchiveInvalidError(`line ${index + 1} is not an archived event`, {
        cause: error,
      });
    }
    if (auditLogIssues(log, 'log').length > 0) {
      throw new AuditArchiveInvalidError(`line ${index + 1} is not an archived event`);
    }
    logs.push(log);
  }
  return logs;
}

// Retention signs one checkpoint per tenant of the partition, after sealing it: each tenant of
// the archive has exactly one, signed for that tenant, at or after its last archived event.
function verifyCheckpoints(
  manifest: ArchiveManifest,
  summaries: readonly ArchiveTenantSummary[],
  publicKey: KeyObject,
): void {
  const byTenant = new Map(
    manifest.checkpoints.map((checkpoint) => [checkpoint.tenantId, checkpoint]),
  );
  if (byTenant.size !== manifest.checkpoints.length || byTenant.size !== summaries.length) {
    throw new AuditArchiveInvalidError('the checkpoints are not one per tenant of the archive');
  }
  for (const summary of summaries) {
    const checkpoint = byTenant.get(summary.tenantId);
    if (!checkpoint || checkpoint.sequence < summary.lastSequence) {
      throw new AuditArchiveInvalidError(
        `the checkpoint of tenant ${summary.tenantId} does not cover its archived events`,
      );
    }
    openCheckpoint(checkpoint, publicKey, summary.tenantId);
  }
}

/**
 * Checks an archive against its manifest: the SHA-256 of the gzipped bytes and of the content,
 * the number of events, each event's payload hash recomputed from its canonical form, the links
 * between consecutive events of a tenant, each tenant's summary, and (with the public key) one
 * checkpoint per tenant of the archive, signed for that tenant, at or after its last archived
 * event. Returns the archived events.
 *
 * The archive is checked against itself only: a copy rewritten and hashed again, manifest
 * included, passes. `verifyArchiveAgainstChain` (from `@carequeue/audit/postgres`) also checks
 * that its events are the chain's and that the chain still carries the signed hashes.
 *
 * @throws {ValidationError} when `manifest` is not shaped like one, `archive` is not bytes or
 *   `publicKey` is not an Ed25519 key
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
  checkArguments(
    'verifyArchive',
    manifestIssues(manifest, 'manifest'),
    archive instanceof Uint8Array
      ? []
      : [{ path: 'archive', message: 'must be a Uint8Array (or Buffer)' }],
    signingKeyIssues(publicKey, 'publicKey', 'verify', { optional: true }),
  );
  if (sha256Hex(archive) !== manifest.archiveSha256) {
    throw new AuditArchiveInvalidError('the archive SHA-256 differs from the manifest');
  }
  let content: string;
  try {
    content = gunzipSync(archive).toString('utf8');
  } catch (error: unknown) {
    throw new AuditArchiveInvalidError('the archive is not gzip data', { cause: error });
  }
  if (sha256Hex(content) !== manifest.contentSha256) {
    throw new AuditArchiveInvalidError('the content SHA-256 differs from the manifest');
  }
  const logs = parseLines(content);
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
  const summaries = tenantSummaries(logs);
  if (JSON.stringify(summaries) !== JSON.stringify(manifest.tenants)) {
    throw new AuditArchiveInvalidError('the tenant summaries differ from the manifest');
  }
  if (publicKey) verifyCheckpoints(manifest, summaries, publicKey);
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
  checkArguments('summarizeTenants', listIssues(logs, 'logs', auditLogIssues));
  return tenantSummaries(logs);
}
