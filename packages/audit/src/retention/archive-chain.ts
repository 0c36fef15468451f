import type { KeyObject } from 'node:crypto';
import type { SqlExecutor } from '@carequeue/core/sql';
import { checkArguments, executorIssues, signingKeyIssues } from '../argument-checks.js';
import type { AuditLog } from '../audit-event.js';
import { verifyChainLinks, type ChainLinkRow } from '../adapters/verify-chain-links.js';
import { GENESIS_HASH } from '../canonical-form.js';
import { openCheckpoint } from '../checkpoint.js';
import { AuditArchiveInvalidError } from '../errors.js';
import { verifyArchive, type ArchiveManifest } from './archive-manifest.js';
import { AUDIT_MAINTENANCE_ROLE } from './retention-runner.js';

interface ChainRow {
  sequence: string | number;
  event_id: string;
  previous_hash: string;
  payload_hash: string;
}

interface ArchivedRow {
  event_id: string;
  tenant_id: string;
  sequence: string | number;
  payload_hash: string;
}

// The register row written when the partition was dropped: the archive of record.
async function checkRecorded(tx: SqlExecutor, manifest: ArchiveManifest): Promise<void> {
  const { rows } = await tx.query<{ archive_sha256: string; event_count: string | number }>(
    'SELECT archive_sha256, event_count FROM audit.retention_archives WHERE partition_name = $1',
    [manifest.partition],
  );
  const recorded = rows[0];
  if (!recorded) {
    throw new AuditArchiveInvalidError(`partition ${manifest.partition} was never archived here`);
  }
  if (
    recorded.archive_sha256 !== manifest.archiveSha256 ||
    Number(recorded.event_count) !== manifest.eventCount
  ) {
    throw new AuditArchiveInvalidError(
      `the archive of ${manifest.partition} is not the one recorded when it was dropped`,
    );
  }
}

// Verification of the chain takes the payload hash of a dropped event from audit.archived_events:
// those rows must be exactly the archive's events.
async function checkArchivedRows(
  tx: SqlExecutor,
  manifest: ArchiveManifest,
  logs: readonly AuditLog[],
): Promise<void> {
  const { rows } = await tx.query<ArchivedRow>(
    'SELECT event_id, tenant_id, sequence, payload_hash FROM audit.archived_events WHERE partition_name = $1',
    [manifest.partition],
  );
  const byId = new Map(rows.map((row) => [row.event_id, row]));
  const matches = logs.every((log) => {
    const row = byId.get(log.id);
    return (
      row !== undefined &&
      row.tenant_id === log.tenantId &&
      Number(row.sequence) === log.sequence &&
      row.payload_hash === log.payloadHash
    );
  });
  if (!matches || rows.length !== logs.length) {
    throw new AuditArchiveInvalidError(
      `the events of ${manifest.partition} differ from those recorded when it was dropped`,
    );
  }
}

// Each archived event must be the chain's row at its sequence, link to the row before it (the
// genesis for the first) and be linked to by the row after it, whether those neighbours are
// still in a live partition or were archived too.
async function checkChainRows(
  tx: SqlExecutor,
  tenantId: string,
  logs: readonly AuditLog[],
): Promise<void> {
  const sequences = new Set<number>();
  for (const log of logs) {
    const sequence = log.sequence as number;
    sequences
      .add(sequence - 1)
      .add(sequence)
      .add(sequence + 1);
  }
  const { rows } = await tx.query<ChainRow>(
    `SELECT sequence, event_id, previous_hash, payload_hash FROM audit.chain
      WHERE tenant_id = $1 AND sequence = ANY($2::bigint[])`,
    [tenantId, [...sequences].filter((sequence) => sequence > 0)],
  );
  const chain = new Map(rows.map((row) => [Number(row.sequence), row]));
  for (const log of logs) {
    const sequence = log.sequence as number;
    const own = chain.get(sequence);
    if (
      own?.event_id !== log.id ||
      own.previous_hash !== log.previousHash ||
      own.payload_hash !== log.payloadHash
    ) {
      throw new AuditArchiveInvalidError(
        `event ${log.id} is not the chain's event at its sequence`,
      );
    }
    const before = sequence === 1 ? GENESIS_HASH : chain.get(sequence - 1)?.payload_hash;
    if (before !== log.previousHash) {
      throw new AuditArchiveInvalidError(
        `event ${log.id} does not link to the event before it in the chain`,
      );
    }
    const after = chain.get(sequence + 1);
    if (after !== undefined && after.previous_hash !== log.payloadHash) {
      throw new AuditArchiveInvalidError(
        `the event after ${log.id} in the chain does not link to it`,
      );
    }
  }
}

/**
 * Verifies an archive written by retention against the database it was archived from. Beyond
 * {@link verifyArchive} (the archive against its own manifest, and its signed checkpoints), it
 * requires the archive to be the one recorded when its partition was dropped, its events to be
 * exactly those recorded for the partition, each event to be the chain's row at its sequence and
 * to link to its neighbours in the chain (live or archived), and each tenant's chain, live events
 * included, to verify from the genesis up to the tenant's signed checkpoint with the signed hash
 * there. An archive rewritten and hashed again, with a manifest to match, passes
 * {@link verifyArchive} but not this.
 *
 * It reads as `carequeue_audit_maintenance`, so `executor` must be allowed to
 * `SET ROLE carequeue_audit_maintenance`, like the executor of `runRetention`.
 *
 * @throws {ValidationError} when an argument is not of the expected type
 * @throws {AuditArchiveInvalidError} naming the first check that failed
 * @example
 * ```ts
 * const manifest = JSON.parse((await sink.read(manifestFile)).toString('utf8')) as ArchiveManifest;
 * const events = await verifyArchiveAgainstChain(executor, manifest, await sink.read(manifest.file), publicKey);
 * ```
 */
export async function verifyArchiveAgainstChain(
  executor: SqlExecutor,
  manifest: ArchiveManifest,
  archive: Uint8Array,
  publicKey: KeyObject,
): Promise<AuditLog[]> {
  checkArguments(
    'verifyArchiveAgainstChain',
    executorIssues(executor, 'executor'),
    signingKeyIssues(publicKey, 'publicKey', 'verify'),
  );
  const logs = verifyArchive(manifest, archive, publicKey);
  await executor.transaction(async (tx) => {
    await tx.exec(`SET LOCAL ROLE ${AUDIT_MAINTENANCE_ROLE}`);
    for (const signed of manifest.checkpoints) {
      const tenantLogs = logs.filter((log) => log.tenantId === signed.tenantId);
      await checkChainRows(tx, signed.tenantId, tenantLogs);
      const checkpoint = openCheckpoint(signed, publicKey, signed.tenantId);
      const range = { checkpoint, toSequence: checkpoint.sequence };
      const result = await verifyChainLinks(range, async (after, to, limit) => {
        const { rows } = await tx.query<ChainLinkRow>(
          'SELECT * FROM audit.chain_links($1, $2, $3, $4)',
          [signed.tenantId, after, to, limit],
        );
        return rows;
      });
      if (!result.ok) {
        throw new AuditArchiveInvalidError(
          `the chain of tenant ${signed.tenantId} does not verify up to its checkpoint (${result.break.kind} at sequence ${result.break.sequence})`,
        );
      }
    }
    await checkArchivedRows(tx, manifest, logs);
    await checkRecorded(tx, manifest);
  });
  return logs;
}
