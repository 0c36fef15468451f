import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFakeClock } from '@carequeue/core';
import type { SqlExecutor } from '@carequeue/core/sql';
import { afterAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/audit-event.js';
import { postgresAuditStore } from '../../src/adapters/postgres.js';
import { openCheckpoint } from '../../src/checkpoint.js';
import { verifyArchive, type ArchiveManifest } from '../../src/retention/archive-manifest.js';
import { verifyArchiveAgainstChain } from '../../src/retention/archive-chain.js';
import { directoryArchiveSink } from '../../src/retention/archive-sink.js';
import { placeLegalHold, releaseLegalHold } from '../../src/retention/legal-hold.js';
import { createRetentionPolicy } from '../../src/retention/retention-policy.js';
import { listAuditPartitions, runRetention } from '../../src/retention/retention-runner.js';
import { sampleAuditEvent } from '../../src/testing/sample-event.js';

function monthName(retentionClass: string, year: number, month: number): string {
  return `events_${retentionClass}_${year}_${String(month).padStart(2, '0')}`;
}

/** Acceptance 2 of issue 9: retention over an eight-year trail. */
export function retentionScenarios(name: string, executor: () => SqlExecutor): void {
  describe(`retention on ${name}`, () => {
    const directories: string[] = [];
    afterAll(async () => {
      await Promise.all(
        directories.map((directory) => rm(directory, { recursive: true, force: true })),
      );
    });

    it('archives and drops exactly the expired partitions not under hold, with matching manifests, and the chain still verifies', async () => {
      const sql = executor();
      const store = postgresAuditStore({ executor: sql });
      const keys = generateKeyPairSync('ed25519');
      const clock = createFakeClock(new Date('2026-06-15T00:00:00Z'));
      const directory = await mkdtemp(join(tmpdir(), 'cq-audit-archive-'));
      directories.push(directory);
      const sink = directoryArchiveSink(directory);
      const tenantA = randomUUID();
      const tenantB = randomUUID();
      const heldPatient = 'patient-held';
      await sql.query("SELECT audit.create_month_partitions('2018-01-01', 102)");

      const seeded = new Map<string, number>();
      const events: AuditEvent[] = [];
      const add = (event: AuditEvent): void => {
        const at = event.timestamp;
        const partition = monthName(
          event.retentionClass,
          at.getUTCFullYear(),
          at.getUTCMonth() + 1,
        );
        seeded.set(partition, (seeded.get(partition) ?? 0) + 1);
        events.push(event);
      };
      for (let year = 2018; year <= 2026; year += 1) {
        for (let month = 1; month <= 12; month += 1) {
          if (year === 2026 && month > 5) break;
          add(
            sampleAuditEvent({
              tenantId: tenantA,
              patientId: 'patient-a',
              timestamp: new Date(Date.UTC(year, month - 1, 10, 12)),
            }),
          );
          if (month % 3 === 0) {
            add(
              sampleAuditEvent({
                tenantId: tenantB,
                patientId: 'patient-b',
                timestamp: new Date(Date.UTC(year, month - 1, 11, 9)),
              }),
            );
          }
        }
      }
      add(
        sampleAuditEvent({
          tenantId: tenantB,
          patientId: heldPatient,
          timestamp: new Date('2019-02-10T10:00:00Z'),
        }),
      );
      add(
        sampleAuditEvent({
          tenantId: tenantA,
          retentionClass: 'extended',
          timestamp: new Date('2018-04-02T10:00:00Z'),
        }),
      );
      add(
        sampleAuditEvent({
          tenantId: tenantA,
          retentionClass: 'extended',
          timestamp: new Date('2019-07-02T10:00:00Z'),
        }),
      );
      await store.append(events);
      await store.seal(tenantA);
      await store.seal(tenantB);
      const late = sampleAuditEvent({
        tenantId: tenantB,
        patientId: 'patient-b',
        timestamp: new Date('2018-08-20T10:00:00Z'),
      });
      add(late);
      await store.append([late]);

      const hold = await placeLegalHold(
        sql,
        {
          tenantId: tenantB,
          patientId: heldPatient,
          from: new Date('2019-01-01T00:00:00Z'),
          to: new Date('2019-03-31T23:59:59Z'),
          reason: 'Litigation 2026-17',
          createdBy: 'counsel',
        },
        clock,
      );
      const released = await placeLegalHold(
        sql,
        {
          tenantId: tenantA,
          from: new Date('2018-05-01T00:00:00Z'),
          to: new Date('2018-05-31T00:00:00Z'),
          reason: 'Closed inquiry',
          createdBy: 'counsel',
        },
        clock,
      );
      await releaseLegalHold(sql, released, clock);

      const policy = await createRetentionPolicy({});
      const progress: string[] = [];
      const result = await runRetention({
        executor: sql,
        policy,
        sink,
        signingKey: keys.privateKey,
        clock,
        onProgress: (message) => progress.push(message),
      });

      const expected: string[] = [];
      for (let year = 2018; year <= 2020; year += 1) {
        for (let month = 1; month <= 12; month += 1) {
          if (year === 2020 && month > 5) break;
          expected.push(monthName('standard', year, month));
        }
      }
      expect(result.expired).toEqual(expected);
      expect(result.heldBack).toEqual(['events_standard_2019_02']);
      expect(result.archived.map((archive) => archive.partition)).toEqual(
        expected.filter((partition) => partition !== 'events_standard_2019_02'),
      );
      expect(progress[0]).toBe(
        `29 of ${(await listAuditPartitions(sql)).length + 28} audit partitions expired`,
      );

      const remaining = new Set(
        (await listAuditPartitions(sql)).map((partition) => partition.name),
      );
      for (const archive of result.archived) expect(remaining.has(archive.partition)).toBe(false);
      for (const kept of [
        'events_standard_2019_02',
        'events_standard_2020_06',
        'events_extended_2018_04',
        'events_extended_2019_07',
      ]) {
        expect(remaining.has(kept)).toBe(true);
      }

      const recorded = await sql.query<{
        partition_name: string;
        manifest_sha256: string;
        event_count: string;
      }>(
        'SELECT partition_name, manifest_sha256, event_count FROM audit.retention_archives ORDER BY partition_name',
      );
      expect(recorded.rows).toHaveLength(28);
      for (const archive of result.archived) {
        const manifest = JSON.parse(
          (await sink.read(archive.manifestFile)).toString('utf8'),
        ) as ArchiveManifest;
        expect(manifest).toEqual(archive.manifest);
        expect(manifest.eventCount).toBe(seeded.get(archive.partition) ?? 0);
        const archivedEvents = verifyArchive(
          manifest,
          await sink.read(manifest.file),
          keys.publicKey,
        );
        expect(
          await verifyArchiveAgainstChain(
            sql,
            manifest,
            await sink.read(manifest.file),
            keys.publicKey,
          ),
        ).toEqual(archivedEvents);
        expect(archivedEvents.map((log) => log.id).sort()).toEqual(
          events
            .filter(
              (event) =>
                monthName(
                  event.retentionClass,
                  event.timestamp.getUTCFullYear(),
                  event.timestamp.getUTCMonth() + 1,
                ) === archive.partition,
            )
            .map((event) => event.id)
            .sort(),
        );
        const row = recorded.rows.find((entry) => entry.partition_name === archive.partition);
        expect(row?.manifest_sha256).toBe(archive.manifestSha256);
        expect(Number(row?.event_count)).toBe(manifest.eventCount);
      }
      expect((await readdir(directory)).length).toBe(56);

      const totalA = events.filter((event) => event.tenantId === tenantA).length;
      const totalB = events.filter((event) => event.tenantId === tenantB).length;
      expect(await store.verify(tenantA)).toMatchObject({ ok: true, checked: totalA });
      expect(await store.verify(tenantB)).toMatchObject({ ok: true, checked: totalB });
      const lastManifest = result.archived.at(-1)!.manifest;
      for (const checkpoint of lastManifest.checkpoints) {
        const position = openCheckpoint(checkpoint, keys.publicKey, checkpoint.tenantId);
        expect(await store.verify(checkpoint.tenantId, { checkpoint: position })).toMatchObject({
          ok: true,
        });
      }
      const oldA = await store.query({
        tenantId: tenantA,
        to: new Date('2020-05-31T23:59:59Z'),
        limit: 1000,
      });
      // Left: the extended class (ten years) and the held partition, which is kept whole.
      expect(oldA.items.map((log) => [log.retentionClass, log.timestamp.toISOString()])).toEqual([
        ['extended', '2018-04-02T10:00:00.000Z'],
        ['standard', '2019-02-10T12:00:00.000Z'],
        ['extended', '2019-07-02T10:00:00.000Z'],
      ]);

      const again = await runRetention({
        executor: sql,
        policy,
        sink,
        signingKey: keys.privateKey,
        clock,
      });
      expect(again.archived).toEqual([]);
      expect(again.heldBack).toEqual(['events_standard_2019_02']);

      await releaseLegalHold(sql, hold, clock);
      const afterRelease = await runRetention({
        executor: sql,
        policy,
        sink,
        signingKey: keys.privateKey,
        clock,
      });
      expect(afterRelease.archived.map((archive) => archive.partition)).toEqual([
        'events_standard_2019_02',
      ]);
      expect(await store.verify(tenantB)).toMatchObject({ ok: true, checked: totalB });
    });

    it('refuses to drop a partition that was not archived, or for any role but maintenance', async () => {
      const sql = executor();
      await sql.query("SELECT audit.create_month_partitions('2021-01-01', 1)");
      await expect(
        sql.transaction(async (tx) => {
          await tx.exec('SET LOCAL ROLE carequeue_audit_maintenance');
          await tx.query('SELECT audit.drop_archived_partition($1)', ['events_standard_2021_01']);
        }),
      ).rejects.toMatchObject({
        cause: { message: expect.stringMatching(/was not archived/) as unknown },
      });
      await expect(
        sql.transaction(async (tx) => {
          await tx.exec('SET LOCAL ROLE authenticated');
          await tx.query('SELECT audit.drop_archived_partition($1)', ['events_standard_2021_01']);
        }),
      ).rejects.toMatchObject({
        cause: { message: expect.stringMatching(/permission denied/) as unknown },
      });
      expect(
        (await listAuditPartitions(sql)).some(
          (partition) => partition.name === 'events_standard_2021_01',
        ),
      ).toBe(true);
    });
  });
}
