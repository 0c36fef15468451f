import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { createFakeClock } from '@carequeue/core';
import type { SqlExecutor } from '@carequeue/core/sql';
import { afterAll, describe, expect, it } from 'vitest';
import { toAuditLog, type EventRow } from '../../src/adapters/event-row.js';
import { postgresAuditStore } from '../../src/adapters/postgres.js';
import type { AuditLog } from '../../src/audit-event.js';
import { payloadHash } from '../../src/canonical-form.js';
import { AuditArchiveInvalidError } from '../../src/errors.js';
import { verifyArchiveAgainstChain } from '../../src/retention/archive-chain.js';
import {
  archiveLine,
  sha256Hex,
  summarizeTenants,
  verifyArchive,
  type ArchiveManifest,
} from '../../src/retention/archive-manifest.js';
import { directoryArchiveSink } from '../../src/retention/archive-sink.js';
import { createRetentionPolicy } from '../../src/retention/retention-policy.js';
import { runRetention } from '../../src/retention/retention-runner.js';
import { sampleAuditEvent } from '../../src/testing/sample-event.js';
import { rewriteChainFrom } from './rewrite-chain.js';

/**
 * An archive and manifest rewritten by someone who can write to the archive store: the event at
 * `index` is edited and it and every later event are hashed again, so the archive and its
 * manifest agree with each other (and the signed checkpoints are kept as they were).
 */
function forgeArchive(
  manifest: ArchiveManifest,
  archive: Uint8Array,
  index: number,
): { manifest: ArchiveManifest; archive: Buffer } {
  const logs: AuditLog[] = gunzipSync(archive)
    .toString('utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => toAuditLog(JSON.parse(line) as EventRow));
  let previous = logs[index]?.previousHash as string;
  const forged = logs.map((log, position) => {
    if (position < index) return log;
    const edited = position === index ? { ...log, action: 'forged' } : log;
    const rehashed = { ...edited, previousHash: previous, payloadHash: '' };
    const hash = payloadHash(rehashed, previous);
    previous = hash;
    return { ...rehashed, payloadHash: hash };
  });
  const content = forged.map(archiveLine).join('');
  const bytes = gzipSync(content);
  return {
    archive: bytes,
    manifest: {
      ...manifest,
      archiveSha256: sha256Hex(bytes),
      contentSha256: sha256Hex(content),
      tenants: summarizeTenants(forged),
    },
  };
}

/** Issue 21: archives verify against the chain they were cut from, and the live partitions. */
export function archiveChainScenarios(name: string, executor: () => SqlExecutor): void {
  describe(`archives against the chain on ${name}`, () => {
    const directories: string[] = [];
    afterAll(async () => {
      await Promise.all(directories.map((folder) => rm(folder, { recursive: true, force: true })));
    });

    it('archive events that do not link to the chain fail verification, and so does an archive whose live successors were rewritten', async () => {
      const sql = executor();
      const store = postgresAuditStore({ executor: sql });
      const keys = generateKeyPairSync('ed25519');
      const clock = createFakeClock(new Date('2026-06-15T00:00:00Z'));
      const directory = await mkdtemp(join(tmpdir(), 'cq-audit-archive-chain-'));
      directories.push(directory);
      const sink = directoryArchiveSink(directory);
      const tenantId = randomUUID();
      await sql.query("SELECT audit.create_month_partitions('2019-01-01', 1)");
      // Three events in a month retention expires, three that stay live.
      const archived = [1, 2, 3].map((day) =>
        sampleAuditEvent({ tenantId, timestamp: new Date(Date.UTC(2019, 0, day, 9)) }),
      );
      const live = [1, 2, 3].map((day) =>
        sampleAuditEvent({ tenantId, timestamp: new Date(Date.UTC(2026, 4, day, 9)) }),
      );
      for (const event of [...archived, ...live]) await store.append([event]);
      await store.seal(tenantId);
      const result = await runRetention({
        executor: sql,
        policy: await createRetentionPolicy({}),
        sink,
        signingKey: keys.privateKey,
        clock,
      });
      const done = result.archived.find(
        (archive) => archive.partition === 'events_standard_2019_01',
      );
      const manifest = done?.manifest as ArchiveManifest;
      const bytes = await sink.read(manifest.file);
      const verified = await verifyArchiveAgainstChain(sql, manifest, bytes, keys.publicKey);
      expect(verified.map((log) => log.id)).toEqual(archived.map((event) => event.id));

      const forged = forgeArchive(manifest, bytes, 1);
      // The forgery agrees with itself and carries genuine signed checkpoints...
      expect(verifyArchive(forged.manifest, forged.archive, keys.publicKey)).toHaveLength(3);
      // ...but its events are not the chain's.
      await expect(
        verifyArchiveAgainstChain(sql, forged.manifest, forged.archive, keys.publicKey),
      ).rejects.toThrow(/is not the chain's event at its sequence/);
      await expect(
        verifyArchiveAgainstChain(sql, forged.manifest, forged.archive, keys.publicKey),
      ).rejects.toBeInstanceOf(AuditArchiveInvalidError);

      // The genuine archive stops verifying once the live events after it are rewritten and
      // hashed again: the tenant's chain no longer reaches the signed hash.
      await rewriteChainFrom(sql, tenantId, 5);
      await expect(verifyArchiveAgainstChain(sql, manifest, bytes, keys.publicKey)).rejects.toThrow(
        /does not verify up to its checkpoint \(rewritten at sequence 6\)/,
      );
    });
  });
}
