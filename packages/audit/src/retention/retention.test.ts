import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createFakeClock, ValidationError } from '@carequeue/core';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryAuditStore } from '../adapters/memory.js';
import { createAuditLogService } from '../audit-log-service.js';
import { createCheckpoint } from '../checkpoint.js';
import {
  AuditArchiveInvalidError,
  AuditCheckpointInvalidError,
  AuditRetentionBelowFloorError,
} from '../errors.js';
import { readWholeTrail } from '../reports/trail-reader.js';
import { sampleAuditEvent } from '../testing/sample-event.js';
import {
  archiveLine,
  sha256Hex,
  summarizeTenants,
  verifyArchive,
  type ArchiveManifest,
} from './archive-manifest.js';
import { directoryArchiveSink } from './archive-sink.js';
import {
  createRetentionPolicy,
  defineRetentionJurisdiction,
  HIPAA_RETENTION,
  retentionCutoff,
} from './retention-policy.js';
import { runRetention } from './retention-runner.js';

describe('retention policy', () => {
  it('keeps the HIPAA floors by default and computes the cutoff per class', async () => {
    const policy = await createRetentionPolicy({});
    expect(policy).toEqual({
      jurisdiction: HIPAA_RETENTION,
      years: { standard: 6, extended: 10 },
      belowFloor: [],
    });
    const now = new Date('2026-06-15T00:00:00Z');
    expect(retentionCutoff(policy, 'standard', now).toISOString()).toBe('2020-06-15T00:00:00.000Z');
    expect(retentionCutoff(policy, 'extended', now).toISOString()).toBe('2016-06-15T00:00:00.000Z');
    expect((await createRetentionPolicy({ years: { standard: 8 } })).years.standard).toBe(8);
  });

  it('refuses to go below a floor without an acknowledgement, and records the acknowledgement when given', async () => {
    await expect(createRetentionPolicy({ years: { standard: 2 } })).rejects.toBeInstanceOf(
      AuditRetentionBelowFloorError,
    );
    const store = memoryAuditStore();
    const audit = createAuditLogService({ store, clock: createFakeClock(Date.UTC(2026, 5, 1)) });
    const tenantId = randomUUID();
    await expect(
      createRetentionPolicy({
        years: { standard: 2 },
        audit,
        belowFloor: { acknowledgedBy: 'officer', tenantId, reason: '  ' },
      }),
    ).rejects.toBeInstanceOf(AuditRetentionBelowFloorError);
    const policy = await createRetentionPolicy({
      years: { standard: 2 },
      audit,
      belowFloor: { acknowledgedBy: 'officer', tenantId, reason: 'Staging data only' },
    });
    expect(policy.belowFloor).toEqual(['standard']);
    const [event] = await readWholeTrail(store, { tenantId });
    expect(event).toMatchObject({
      category: 'auth',
      action: 'audit_config_change',
      userId: 'officer',
      metadata: {
        setting: 'retention_below_floor',
        retentionClass: 'standard',
        years: 2,
        floorYears: 6,
        jurisdiction: 'us-hipaa',
        reason: 'Staging data only',
      },
    });
  });

  it('takes other jurisdictions as configured presets and rejects malformed periods', async () => {
    const records = defineRetentionJurisdiction({
      id: 'xx-records',
      name: 'Records act',
      floorYears: { standard: 10, extended: 20 },
    });
    await expect(
      createRetentionPolicy({ jurisdiction: records, years: { standard: 6 } }),
    ).rejects.toBeInstanceOf(AuditRetentionBelowFloorError);
    expect((await createRetentionPolicy({ jurisdiction: records })).years).toEqual({
      standard: 10,
      extended: 20,
    });
    expect(() =>
      defineRetentionJurisdiction({
        id: 'bad',
        name: 'Bad',
        floorYears: { standard: -1, extended: 2 },
      }),
    ).toThrow(ValidationError);
    await expect(createRetentionPolicy({ years: { extended: 10.5 } })).rejects.toThrow(
      ValidationError,
    );
  });
});

describe('retention archives', () => {
  const directories: string[] = [];
  afterAll(async () => {
    await Promise.all(
      directories.map((directory) => rm(directory, { recursive: true, force: true })),
    );
  });

  async function archiveFixture() {
    const store = memoryAuditStore();
    const tenantId = randomUUID();
    await store.append(
      Array.from({ length: 5 }, (_, index) =>
        sampleAuditEvent({ tenantId, timestamp: new Date(Date.UTC(2019, 0, 1 + index)) }),
      ),
    );
    await store.seal(tenantId);
    const logs = await readWholeTrail(store, { tenantId, sortBy: 'sequence' });
    const content = logs.map(archiveLine).join('');
    const archive = gzipSync(content);
    const keys = generateKeyPairSync('ed25519');
    const manifest: ArchiveManifest = {
      version: 'cq-audit-archive-v1',
      partition: 'events_standard_2019_01',
      retentionClass: 'standard',
      rangeFrom: '2019-01-01T00:00:00.000Z',
      rangeTo: '2019-02-01T00:00:00.000Z',
      eventCount: logs.length,
      file: 'events_standard_2019_01.ndjson.gz',
      archiveSha256: sha256Hex(archive),
      contentSha256: sha256Hex(content),
      tenants: summarizeTenants(logs),
      checkpoints: [await createCheckpoint(store, tenantId, keys.privateKey, createFakeClock(0))],
      createdAt: '2026-06-15T00:00:00.000Z',
    };
    return { logs, content, archive, manifest, keys };
  }

  it('verifies an archive against its manifest and returns its events', async () => {
    const { logs, archive, manifest, keys } = await archiveFixture();
    expect(verifyArchive(manifest, archive, keys.publicKey)).toEqual(logs);
  });

  it('rejects altered bytes, content, counts, summaries, events and checkpoints', async () => {
    const { content, archive, manifest, keys } = await archiveFixture();
    const altered = Buffer.from(archive);
    altered[altered.length - 5] = (altered[altered.length - 5] ?? 0) ^ 1;
    expect(() => verifyArchive(manifest, altered)).toThrow(AuditArchiveInvalidError);
    const edited = gzipSync(content.replace('follow-up', 'follow-on'));
    expect(() => verifyArchive({ ...manifest, archiveSha256: sha256Hex(edited) }, edited)).toThrow(
      /content SHA-256/,
    );
    const rehashed = {
      ...manifest,
      archiveSha256: sha256Hex(edited),
      contentSha256: sha256Hex(content.replace('follow-up', 'follow-on')),
    };
    expect(() => verifyArchive(rehashed, edited)).toThrow(/does not match its payload hash/);
    expect(() => verifyArchive({ ...manifest, eventCount: 4 }, archive)).toThrow(
      /number of events/,
    );
    expect(() => verifyArchive({ ...manifest, tenants: [] }, archive)).toThrow(/tenant summaries/);
    const other = generateKeyPairSync('ed25519');
    expect(() => verifyArchive(manifest, archive, other.publicKey)).toThrow(
      AuditCheckpointInvalidError,
    );
    expect(verifyArchive(manifest, archive, keys.publicKey)).toHaveLength(5);
  });

  it('writes each file once, durably, to a directory sink', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'cq-audit-sink-'));
    directories.push(directory);
    const sink = directoryArchiveSink(join(directory, 'nested'));
    await sink.write('a.txt', [Buffer.from('one'), Buffer.from('two')]);
    expect((await sink.read('a.txt')).toString()).toBe('onetwo');
    await expect(sink.write('a.txt', [Buffer.from('again')])).rejects.toThrow(/EEXIST/);
  });
});

describe('directoryArchiveSink', () => {
  it('refuses a name with a folder or .. so nothing is written or read outside its directory (it joined any name before)', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'cq-audit-sink-'));
    try {
      const sink = directoryArchiveSink(join(parent, 'archive'));
      for (const name of ['../escaped.ndjson.gz', 'nested/file.gz', '..', '/etc/passwd']) {
        await expect(sink.write(name, [Buffer.from('x')])).rejects.toBeInstanceOf(ValidationError);
        await expect(sink.read(name)).rejects.toBeInstanceOf(ValidationError);
      }
      expect(await readdir(parent)).toEqual([]);
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });

  it('leaves no file behind when the content yields something that is not bytes', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'cq-audit-sink-'));
    try {
      const sink = directoryArchiveSink(directory);
      await expect(
        sink.write('partial.gz', [Buffer.from('x'), 'text' as unknown as Uint8Array]),
      ).rejects.toBeInstanceOf(ValidationError);
      expect(await readdir(directory)).toEqual([]);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});

describe('runRetention', () => {
  it('refuses a clock that does not tell the time before reading any partition (a NaN clock archived nothing and reported success)', async () => {
    const queried: string[] = [];
    const executor = {
      query: (sql: string) => {
        queried.push(sql);
        return Promise.resolve({ rows: [], rowCount: 0 });
      },
      exec: () => Promise.resolve(),
      queryBeforeCommit: () => Promise.resolve(),
      transaction: <T>(fn: (tx: never) => Promise<T>) => fn(executor as never),
      queryCount: () => 0,
    };
    const { privateKey } = generateKeyPairSync('ed25519');
    const failure = runRetention({
      executor,
      policy: await createRetentionPolicy({}),
      sink: directoryArchiveSink(tmpdir()),
      signingKey: privateKey,
      clock: { ...createFakeClock(0), now: () => Number.NaN },
    });
    await expect(failure).rejects.toBeInstanceOf(ValidationError);
    await expect(failure).rejects.toMatchObject({
      issues: [expect.objectContaining({ path: 'options.clock.now()' })],
    });
    expect(queried).toEqual([]);
  });
});
