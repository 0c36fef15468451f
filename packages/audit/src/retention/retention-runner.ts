import { createHash, type KeyObject } from 'node:crypto';
import { createGzip } from 'node:zlib';
import { systemClock, type Clock } from '@carequeue/core';
import type { SqlExecutor } from '@carequeue/core/sql';
import type { AuditLog, RetentionClass } from '../audit-event.js';
import { toAuditLog, type EventRow } from '../adapters/event-row.js';
import { readChainHead } from '../adapters/chain-head.js';
import type { AuditCheckpoint } from '../checkpoint.js';
import { signChainHead, signingTime } from '../checkpoint-signing.js';
import type { ErrorIssue } from '@carequeue/core';
import {
  booleanIssues,
  checkArguments,
  clockIssues,
  executorIssues,
  functionIssues,
  isRecord,
  signingKeyIssues,
  objectIssues,
  portIssues,
} from '../argument-checks.js';
import { AuditArchiveInvalidError } from '../errors.js';
import { archiveLineOf, tenantSummaries } from './archive-lines.js';
import { sha256Hex, type ArchiveManifest } from './archive-manifest.js';
import type { ArchiveSink } from './archive-sink.js';
import { retentionCutoff, type RetentionPolicy } from './retention-policy.js';

/**
 * The role retention runs as: it reads and archives every tenant's events and is the only role
 * allowed to drop an archived partition.
 *
 * @example
 * ```ts
 * await tx.exec(`SET LOCAL ROLE ${AUDIT_MAINTENANCE_ROLE}`);
 * ```
 */
export const AUDIT_MAINTENANCE_ROLE = 'carequeue_audit_maintenance';

const PARTITION_NAME = /^events_(standard|extended)_(\d{4})_(\d{2})$/;
const PAGE = 2_000;

/**
 * One month partition of `audit.events`.
 *
 * @example
 * ```ts
 * const partition: AuditPartition = { name: 'events_standard_2019_01', retentionClass: 'standard', from, to };
 * ```
 */
export interface AuditPartition {
  readonly name: string;
  readonly retentionClass: RetentionClass;
  readonly from: Date;
  readonly to: Date;
}

/**
 * Options of {@link runRetention}.
 *
 * @example
 * ```ts
 * const options: RetentionRunOptions = { executor, policy, sink: directoryArchiveSink(dir), signingKey };
 * ```
 */
export interface RetentionRunOptions {
  /** A privileged executor whose user may `SET ROLE carequeue_audit_maintenance`. */
  readonly executor: SqlExecutor;
  readonly policy: RetentionPolicy;
  readonly sink: ArchiveSink;
  /** Ed25519 key signing the chain-head checkpoints taken before each drop. */
  readonly signingKey: KeyObject;
  /** @default systemClock */
  readonly clock?: Clock;
  /** Lists what would be archived and dropped, and changes nothing. @default false */
  readonly dryRun?: boolean;
  readonly onProgress?: (message: string) => void;
}

/**
 * One partition archived and dropped.
 *
 * @example
 * ```ts
 * result.archived.map((archive) => archive.manifest.file);
 * ```
 */
export interface PartitionArchive {
  readonly partition: string;
  readonly manifest: ArchiveManifest;
  readonly manifestFile: string;
  readonly manifestSha256: string;
}

/**
 * What a retention run did: the expired partitions, those archived and dropped, and those kept
 * back by a legal hold.
 *
 * @example
 * ```ts
 * if (result.heldBack.length > 0) console.warn('kept under legal hold:', result.heldBack);
 * ```
 */
export interface RetentionRunResult {
  readonly expired: readonly string[];
  readonly archived: readonly PartitionArchive[];
  readonly heldBack: readonly string[];
}

/**
 * Lists the month partitions of `audit.events` (default partitions left out), oldest first.
 *
 * @example
 * ```ts
 * const partitions = await listAuditPartitions(executor);
 * ```
 */
export async function listAuditPartitions(executor: SqlExecutor): Promise<AuditPartition[]> {
  checkArguments('listAuditPartitions', executorIssues(executor, 'executor'));
  const { rows } = await executor.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_catalog.pg_inherits i
       JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
       JOIN pg_catalog.pg_class p ON p.oid = i.inhparent
       JOIN pg_catalog.pg_namespace n ON n.oid = p.relnamespace
      WHERE n.nspname = 'audit' AND p.relname IN ('events_standard', 'events_extended')`,
  );
  const partitions: AuditPartition[] = [];
  for (const { name } of rows) {
    const match = PARTITION_NAME.exec(name);
    if (!match) continue;
    const from = new Date(Date.UTC(Number(match[2]), Number(match[3]) - 1, 1));
    const to = new Date(Date.UTC(Number(match[2]), Number(match[3]), 1));
    partitions.push({ name, retentionClass: match[1] as RetentionClass, from, to });
  }
  return partitions.sort(
    (a, b) => a.from.getTime() - b.from.getTime() || (a.name < b.name ? -1 : 1),
  );
}

// The maintenance role's grants are on audit.events; filtering on the partition key reaches
// exactly the partition's rows (the planner prunes the others).
const IN_PARTITION = 'e.retention_class = $1 AND e."timestamp" >= $2 AND e."timestamp" < $3';

function partitionParams(partition: AuditPartition): unknown[] {
  return [partition.retentionClass, partition.from.toISOString(), partition.to.toISOString()];
}

async function isHeld(tx: SqlExecutor, partition: AuditPartition): Promise<boolean> {
  const { rows } = await tx.query<{ held: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM audit.legal_holds h JOIN audit.events e ON e.tenant_id = h.tenant_id
       AND (h.patient_id IS NULL OR e.patient_id = h.patient_id)
       AND e."timestamp" >= h.from_time AND e."timestamp" <= h.to_time
       WHERE h.released_at IS NULL AND ${IN_PARTITION}) AS held`,
    partitionParams(partition),
  );
  return rows[0]?.held === true;
}

async function sealTenants(tx: SqlExecutor, partition: AuditPartition): Promise<string[]> {
  const { rows } = await tx.query<{ tenant_id: string }>(
    `SELECT DISTINCT e.tenant_id FROM audit.events e WHERE ${IN_PARTITION} ORDER BY e.tenant_id`,
    partitionParams(partition),
  );
  const tenants = rows.map((row) => row.tenant_id);
  for (const tenantId of tenants) {
    for (;;) {
      const sealed = await tx.query<{ sealed: number }>('SELECT audit.seal($1, 10000) AS sealed', [
        tenantId,
      ]);
      if (Number(sealed.rows[0]?.sealed ?? 0) === 0) break;
    }
  }
  return tenants;
}

async function* partitionLines(
  tx: SqlExecutor,
  partition: AuditPartition,
): AsyncGenerator<AuditLog> {
  let after: { tenant: string; sequence: number } | null = null;
  for (;;) {
    const params: unknown[] = [
      ...partitionParams(partition),
      ...(after ? [after.tenant, after.sequence] : []),
      PAGE,
    ];
    const page: { rows: EventRow[] } = await tx.query<EventRow>(
      `SELECT e.*, c.sequence, c.payload_hash, c.previous_hash
         FROM audit.events e LEFT JOIN audit.chain c ON c.event_id = e.id
          AND c.event_retention_class = e.retention_class AND c.event_timestamp = e."timestamp"
        WHERE ${IN_PARTITION}
        ${after ? 'AND (e.tenant_id, c.sequence) > ($4::uuid, $5::bigint)' : ''}
        ORDER BY e.tenant_id, c.sequence
        LIMIT $${params.length}`,
      params,
    );
    const rows = page.rows;
    for (const row of rows) {
      const log = toAuditLog(row);
      if (log.sequence === null) {
        throw new AuditArchiveInvalidError(`partition ${partition.name} holds an unsealed event`);
      }
      yield log;
    }
    const last: EventRow | undefined = rows[rows.length - 1];
    if (!last || rows.length < PAGE) return;
    after = { tenant: last.tenant_id, sequence: Number(last.sequence) };
  }
}

async function archivePartition(
  tx: SqlExecutor,
  partition: AuditPartition,
  options: RetentionRunOptions,
  now: Date,
): Promise<PartitionArchive> {
  const tenants = await sealTenants(tx, partition);
  const checkpoints: AuditCheckpoint[] = [];
  for (const tenantId of tenants) {
    checkpoints.push(
      signChainHead(
        tenantId,
        await readChainHead(tx, tenantId),
        options.signingKey,
        signingTime(options.clock ?? systemClock, 'runRetention', 'options.clock'),
      ),
    );
  }
  const logs: AuditLog[] = [];
  const content = createHash('sha256');
  const archive = createHash('sha256');
  const gzip = createGzip();
  const file = `${partition.name}.ndjson.gz`;
  const feed = (async () => {
    try {
      for await (const log of partitionLines(tx, partition)) {
        const line = archiveLineOf(log);
        content.update(line);
        logs.push({ ...log, oldValue: null, newValue: null, metadata: {} });
        if (!gzip.write(line)) await new Promise((resolve) => gzip.once('drain', resolve));
      }
      gzip.end();
    } catch (error: unknown) {
      gzip.destroy(error as Error);
    }
  })();
  async function* hashed(): AsyncGenerator<Uint8Array> {
    for await (const chunk of gzip) {
      archive.update(chunk as Buffer);
      yield chunk as Buffer;
    }
  }
  await options.sink.write(file, hashed());
  await feed;
  const manifest: ArchiveManifest = {
    version: 'cq-audit-archive-v1',
    partition: partition.name,
    retentionClass: partition.retentionClass,
    rangeFrom: partition.from.toISOString(),
    rangeTo: partition.to.toISOString(),
    eventCount: logs.length,
    file,
    archiveSha256: archive.digest('hex'),
    contentSha256: content.digest('hex'),
    tenants: tenantSummaries(logs),
    checkpoints,
    createdAt: now.toISOString(),
  };
  const manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
  const manifestFile = `${partition.name}.manifest.json`;
  await options.sink.write(manifestFile, [Buffer.from(manifestText, 'utf8')]);
  const manifestSha256 = sha256Hex(manifestText);
  await tx.query(
    `INSERT INTO audit.retention_archives (partition_name, retention_class, range_from, range_to,
       event_count, archive_sha256, manifest_sha256, archived_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      partition.name,
      partition.retentionClass,
      manifest.rangeFrom,
      manifest.rangeTo,
      logs.length,
      manifest.archiveSha256,
      manifestSha256,
      manifest.createdAt,
    ],
  );
  await tx.query('SELECT audit.drop_archived_partition($1)', [partition.name]);
  return { partition: partition.name, manifest, manifestFile, manifestSha256 };
}

function runOptionsIssues(options: unknown): ErrorIssue[] {
  if (!isRecord(options)) return objectIssues(options, 'options');
  const policy = options['policy'];
  const years = isRecord(policy) ? policy['years'] : undefined;
  return [
    ...executorIssues(options['executor'], 'options.executor'),
    ...(isRecord(years) &&
    Number.isInteger(years['standard']) &&
    Number.isInteger(years['extended'])
      ? []
      : [{ path: 'options.policy', message: 'must be a policy from createRetentionPolicy' }]),
    ...portIssues(options['sink'], 'options.sink', 'an ArchiveSink', ['write', 'read']),
    ...signingKeyIssues(options['signingKey'], 'options.signingKey', 'sign'),
    ...clockIssues(options['clock'], 'options.clock'),
    ...booleanIssues(options['dryRun'], 'options.dryRun', { optional: true }),
    ...functionIssues(options['onProgress'], 'options.onProgress', { optional: true }),
  ];
}

/**
 * Applies a retention policy to `audit.events`: every month partition whose whole range is older
 * than its class's period is, unless a legal hold covers one of its events, sealed, checkpointed
 * (a signed chain head per tenant, written in the manifest before anything is dropped),
 * archived to gzipped NDJSON with a manifest of hashes in the sink, recorded, and dropped through
 * the maintenance role, each partition in its own transaction. The chain rows of dropped events
 * stay, so `verify()` still passes. Default partitions are never dropped.
 *
 * @throws {AuditArchiveInvalidError} when a partition still holds unsealed events after sealing
 * @example
 * ```ts
 * const result = await runRetention({
 *   executor, policy: await createRetentionPolicy({}), sink: directoryArchiveSink(dir), signingKey,
 *   onProgress: (message) => process.stderr.write(`${message}\n`),
 * });
 * ```
 */
export async function runRetention(options: RetentionRunOptions): Promise<RetentionRunResult> {
  checkArguments('runRetention', runOptionsIssues(options));
  const now = signingTime(options.clock ?? systemClock, 'runRetention', 'options.clock');
  const progress = options.onProgress ?? (() => undefined);
  const partitions = await listAuditPartitions(options.executor);
  const expired = partitions.filter(
    (partition) =>
      partition.to.getTime() <=
      retentionCutoff(options.policy, partition.retentionClass, now).getTime(),
  );
  progress(`${expired.length} of ${partitions.length} audit partitions expired`);
  const archived: PartitionArchive[] = [];
  const heldBack: string[] = [];
  for (const [index, partition] of expired.entries()) {
    const outcome = await options.executor.transaction(async (tx) => {
      await tx.exec(`SET LOCAL ROLE ${AUDIT_MAINTENANCE_ROLE}`);
      if (await isHeld(tx, partition)) return 'held' as const;
      if (options.dryRun) return 'dry' as const;
      return archivePartition(tx, partition, options, now);
    });
    if (outcome === 'held') {
      heldBack.push(partition.name);
      progress(`[${index + 1}/${expired.length}] ${partition.name}: kept, under legal hold`);
    } else if (outcome !== 'dry') {
      archived.push(outcome);
      progress(
        `[${index + 1}/${expired.length}] ${partition.name}: ${outcome.manifest.eventCount} events archived to ${outcome.manifest.file} and dropped`,
      );
    } else {
      progress(`[${index + 1}/${expired.length}] ${partition.name}: would be archived and dropped`);
    }
  }
  return { expired: expired.map((partition) => partition.name), archived, heldBack };
}
