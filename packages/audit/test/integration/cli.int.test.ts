import { execFile } from 'node:child_process';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createTestDatabase,
  freePort,
  requirePostgres,
  useTestDatabase,
} from '@carequeue/test-harness';
import { createPgExecutor } from '@carequeue/core/sql';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAuditStore } from '../../src/adapters/postgres.js';
import { createAuditLogService } from '../../src/audit-log-service.js';
import { createCheckpoint } from '../../src/checkpoint.js';
import { AUDIT_CLI_EXIT } from '../../src/cli/exit-codes.js';
import { runAuditCli, type AuditCliIo } from '../../src/cli/run-audit-cli.js';
import { sampleAuditEvent } from '../../src/testing/sample-event.js';
import { seedReportTrail, type ReportTrail } from '../support/report-trail.js';
import { rewriteChainFrom } from '../support/rewrite-chain.js';

const postgres = await requirePostgres();
const packageRoot = fileURLToPath(new URL('../../', import.meta.url));
const cliSource = join(packageRoot, 'src/cli/carequeue-audit.ts');

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the real command in a child process, as a scheduler would. */
function spawnCli(args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', cliSource, ...args],
      { cwd: packageRoot, env: { ...process.env, ...env }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe.skipIf(!postgres.available)('carequeue-audit', () => {
  const db = useTestDatabase();
  let trail: ReportTrail;
  let directory: string;
  let io: AuditCliIo & { out: string[]; err: string[] };

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'cq-audit-cli-'));
    trail = await seedReportTrail(
      postgresAuditStore({ executor: createPgExecutor({ pool: db.pool }) }),
    );
    const keys = generateKeyPairSync('ed25519');
    await writeFile(
      join(directory, 'signing.pem'),
      keys.privateKey.export({ type: 'pkcs8', format: 'pem' }),
    );
    await writeFile(
      join(directory, 'public.pem'),
      keys.publicKey.export({ type: 'spki', format: 'pem' }),
    );
    const checkpoint = await createCheckpoint(
      postgresAuditStore({ executor: createPgExecutor({ pool: db.pool }) }),
      trail.tenantId,
      keys.privateKey,
    );
    await writeFile(join(directory, 'checkpoint.json'), JSON.stringify(checkpoint));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  function inProcess(): typeof io {
    const out: string[] = [];
    const err: string[] = [];
    return {
      out,
      err,
      stdout: (text) => out.push(text),
      stderr: (text) => err.push(text),
      env: { CAREQUEUE_AUDIT_DATABASE_URL: db.url },
      connect(url) {
        const pool = new pg.Pool({ connectionString: url, max: 2 });
        pool.on('error', () => undefined);
        return Promise.resolve({ executor: createPgExecutor({ pool }), close: () => pool.end() });
      },
    };
  }

  describe('as a spawned process', () => {
    it('prints usage and exits 0 with --help, 2 for a usage error', async () => {
      const help = await spawnCli(['--help']);
      expect(help.code).toBe(AUDIT_CLI_EXIT.ok);
      expect(help.stdout).toContain('Usage: carequeue-audit <command>');
      const unknown = await spawnCli(['verify', '--tenant', trail.tenantId, '--bogus'], {
        CAREQUEUE_AUDIT_DATABASE_URL: db.url,
      });
      expect(unknown.code).toBe(AUDIT_CLI_EXIT.usage);
      expect(unknown.stderr).toContain('Unknown option: use only the options listed below');
      expect(unknown.stderr).not.toContain('--bogus');
      expect((await spawnCli(['frobnicate'], { CAREQUEUE_AUDIT_DATABASE_URL: db.url })).code).toBe(
        AUDIT_CLI_EXIT.usage,
      );
    });

    it('exits 3 when the database cannot be reached', async () => {
      const port = await freePort();
      const run = await spawnCli([
        'verify',
        '--tenant',
        trail.tenantId,
        '--database-url',
        `postgres://postgres@127.0.0.1:${port}/none`,
      ]);
      expect(run.code).toBe(AUDIT_CLI_EXIT.unavailable);
      expect(run.stderr).toContain('could not be reached');
    });

    it('verifies a chain (exit 0), reports and exports with progress on stderr', async () => {
      const env = { CAREQUEUE_AUDIT_DATABASE_URL: db.url };
      const verify = await spawnCli(
        [
          'verify',
          '--tenant',
          trail.tenantId,
          '--checkpoint',
          join(directory, 'checkpoint.json'),
          '--public-key',
          join(directory, 'public.pem'),
        ],
        env,
      );
      expect(verify.code).toBe(AUDIT_CLI_EXIT.ok);
      expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, checked: 15 });
      expect(verify.stderr).toContain(`verifying the audit chain of tenant ${trail.tenantId}`);

      const csv = await spawnCli(
        [
          'report',
          'range',
          '--tenant',
          trail.tenantId,
          '--format',
          'csv',
          '--sort-by',
          'userId',
          '--order',
          'desc',
        ],
        env,
      );
      expect(csv.code).toBe(AUDIT_CLI_EXIT.ok);
      expect(csv.stdout.split('\r\n')[0]).toMatch(/^Sequence,Date \(UTC\),User,/);
      expect(csv.stdout.trimEnd().split('\r\n')).toHaveLength(16);
      expect(csv.stderr).toContain('read 15 events');

      const htmlFile = join(directory, 'access.html');
      const html = await spawnCli(
        [
          'report',
          'patient-access',
          '--tenant',
          trail.tenantId,
          '--patient',
          trail.patientId,
          '--format',
          'html',
          '--out',
          htmlFile,
        ],
        env,
      );
      expect(html.code).toBe(AUDIT_CLI_EXIT.ok);
      expect(await readFile(htmlFile, 'utf8')).toContain('<svg');

      const ndjson = await spawnCli(
        ['export', '--tenant', trail.tenantId, '--format', 'ndjson'],
        env,
      );
      expect(ndjson.code).toBe(AUDIT_CLI_EXIT.ok);
      expect(
        ndjson.stdout
          .trimEnd()
          .split('\n')
          .map((line) => (JSON.parse(line) as { resourceType: string }).resourceType),
      ).toEqual(Array(15).fill('AuditEvent'));
    });

    it('runs retention, and refuses (exit 4) to go below the floor without an acknowledgement', async () => {
      const env = { CAREQUEUE_AUDIT_DATABASE_URL: db.url };
      const args = [
        'retention',
        '--archive-dir',
        join(directory, 'archive'),
        '--signing-key',
        join(directory, 'signing.pem'),
      ];
      const dry = await spawnCli([...args, '--dry-run'], env);
      expect(dry.code).toBe(AUDIT_CLI_EXIT.ok);
      expect(JSON.parse(dry.stdout)).toMatchObject({ archived: [], heldBack: [] });
      expect(dry.stderr).toMatch(/audit partitions expired/);
      const refused = await spawnCli([...args, '--standard-years', '1'], env);
      expect(refused.code).toBe(AUDIT_CLI_EXIT.refused);
      expect(refused.stderr).toContain('below the us-hipaa floor');
    });

    it('exits 1 when the chain was tampered with', async () => {
      await db.pool.query(
        "UPDATE audit.events SET action = 'tampered' WHERE tenant_id = $1 AND action = 'update'",
        [trail.tenantId],
      );
      const run = await spawnCli(['verify', '--tenant', trail.tenantId], {
        CAREQUEUE_AUDIT_DATABASE_URL: db.url,
      });
      expect(run.code).toBe(AUDIT_CLI_EXIT.verificationFailed);
      expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, break: { kind: 'edited' } });
    });
  });

  describe('in process', () => {
    it('writes every report kind and rejects malformed options with exit 2', async () => {
      const base = ['--tenant', trail.tenantId];
      for (const args of [
        ['report', 'disclosure-accounting', ...base, '--patient', trail.patientId],
        [
          'report',
          'user-activity',
          ...base,
          '--user',
          trail.intruder,
          '--from',
          '2026-01-01T00:00:00Z',
          '--to',
          '2026-02-01T00:00:00Z',
        ],
        ['report', 'security', ...base],
        ['report', 'break-glass', ...base, '--format', 'csv'],
        ['report', 'patient-access', ...base, '--patient', trail.patientId, '--include-staff'],
        ['export', ...base],
      ]) {
        io = inProcess();
        expect(await runAuditCli(args, io), args.join(' ')).toBe(AUDIT_CLI_EXIT.ok);
        expect(io.out.join('').length).toBeGreaterThan(0);
      }
      for (const args of [
        ['report', 'range', ...base, '--from', 'yesterday'],
        ['report', 'range', ...base, '--sort-by', 'password'],
        ['report', 'range', ...base, '--order', 'up'],
        ['report', 'range', ...base, '--format', 'pdf'],
        ['report', ...base],
        ['report', 'user-activity', ...base],
        ['export', ...base, '--format', 'xml'],
        ['verify'],
        ['verify', ...base, '--checkpoint', join(directory, 'checkpoint.json')],
        [
          'retention',
          '--archive-dir',
          directory,
          '--signing-key',
          join(directory, 'signing.pem'),
          '--standard-years',
          'six',
        ],
      ]) {
        io = inProcess();
        expect(await runAuditCli(args, io), args.join(' ')).toBe(AUDIT_CLI_EXIT.usage);
        expect(io.err.join('')).toContain('Usage: carequeue-audit');
      }
      io = inProcess();
      expect(await runAuditCli(['verify', ...base], { ...io, env: {} })).toBe(AUDIT_CLI_EXIT.usage);
    });

    it('fails verification (exit 1) for a checkpoint signed by another key', async () => {
      const other = generateKeyPairSync('ed25519');
      const otherKey = join(directory, 'other.pem');
      await writeFile(otherKey, other.publicKey.export({ type: 'spki', format: 'pem' }));
      io = inProcess();
      expect(
        await runAuditCli(
          [
            'verify',
            '--tenant',
            trail.tenantId,
            '--checkpoint',
            join(directory, 'checkpoint.json'),
            '--public-key',
            otherKey,
          ],
          io,
        ),
      ).toBe(AUDIT_CLI_EXIT.verificationFailed);
    });

    it("verify --checkpoint exits 1 for a chain rewritten and re-hashed since the tenant's own checkpoint, and 2 for another tenant's checkpoint", async () => {
      const sql = createPgExecutor({ pool: db.pool });
      const store = postgresAuditStore({ executor: sql });
      const tenantId = randomUUID();
      for (let index = 0; index < 6; index += 1)
        await store.append([sampleAuditEvent({ tenantId })]);
      await store.seal(tenantId);
      const keys = generateKeyPairSync('ed25519');
      const publicKey = join(directory, `rewritten-${tenantId}.pem`);
      const checkpoint = join(directory, `rewritten-${tenantId}.json`);
      await writeFile(publicKey, keys.publicKey.export({ type: 'spki', format: 'pem' }));
      await writeFile(
        checkpoint,
        JSON.stringify(await createCheckpoint(store, tenantId, keys.privateKey)),
      );
      const verify = [
        'verify',
        '--tenant',
        tenantId,
        '--checkpoint',
        checkpoint,
        '--public-key',
        publicKey,
      ];
      io = inProcess();
      expect(await runAuditCli(verify, io)).toBe(AUDIT_CLI_EXIT.ok);
      await rewriteChainFrom(sql, tenantId, 3);
      io = inProcess();
      expect(await runAuditCli(verify, io)).toBe(AUDIT_CLI_EXIT.verificationFailed);
      expect(JSON.parse(io.out.join(''))).toMatchObject({
        ok: false,
        break: { sequence: 6, kind: 'rewritten' },
      });
      io = inProcess();
      expect(
        await runAuditCli(
          [
            'verify',
            '--tenant',
            tenantId,
            '--checkpoint',
            join(directory, 'checkpoint.json'),
            '--public-key',
            join(directory, 'public.pem'),
          ],
          io,
        ),
      ).toBe(AUDIT_CLI_EXIT.usage);
      expect(io.err.join('')).toContain('--checkpoint was signed for another tenant');
    });

    it('exits 5 when verifying an unknown tenant (no chain head and no events), naming no audit trail', async () => {
      const unknown = randomUUID();
      io = inProcess();
      expect(await runAuditCli(['verify', '--tenant', unknown], io)).toBe(
        AUDIT_CLI_EXIT.unknownTenant,
      );
      expect(io.out).toEqual([]);
      expect(io.err.join('')).toContain('No audit trail exists for this tenant');
    });

    it('exits 5 for report and export of an unknown tenant instead of an empty report or bundle', async () => {
      const unknown = randomUUID();
      for (const args of [
        ['report', 'security', '--tenant', unknown],
        ['report', 'patient-access', '--tenant', unknown, '--patient', trail.patientId],
        ['export', '--tenant', unknown, '--format', 'ndjson'],
      ]) {
        io = inProcess();
        expect(await runAuditCli(args, io), args.join(' ')).toBe(AUDIT_CLI_EXIT.unknownTenant);
        expect(io.out).toEqual([]);
        expect(io.err.join('')).toContain('No audit trail exists for this tenant');
      }
    });

    it('verifies (exit 0) a tenant whose only events are not sealed yet', async () => {
      const tenantId = randomUUID();
      await createAuditLogService({
        store: postgresAuditStore({ executor: createPgExecutor({ pool: db.pool }) }),
      }).logAuthEvent('login', { tenantId, userId: 'someone' });
      io = inProcess();
      expect(await runAuditCli(['verify', '--tenant', tenantId], io)).toBe(AUDIT_CLI_EXIT.ok);
      expect(JSON.parse(io.out.join(''))).toMatchObject({ ok: true, checked: 0 });
    });

    it('exits 6, not 3, when writing --out fails after the events were read', async () => {
      const folder = join(directory, 'vanishing');
      await mkdir(folder);
      io = inProcess();
      const run = runAuditCli(
        ['export', '--tenant', trail.tenantId, '--out', join(folder, 'bundle.json')],
        {
          ...io,
          // The folder goes away between the check before connecting and the write.
          stderr: (text) => {
            io.err.push(text);
            if (text.startsWith('read ')) rmSync(folder, { recursive: true, force: true });
          },
        },
      );
      expect(await run).toBe(AUDIT_CLI_EXIT.outputFailed);
      expect(io.err.join('')).toContain('read 15 events');
      expect(io.err.join('')).toContain('--out cannot be written');
      expect(io.err.join('')).not.toContain('vanishing');
    });

    it('exits 7, not 3, when the database is reachable but the audit migrations have not run', async () => {
      const bare = await createTestDatabase();
      try {
        await bare.pool.query('DROP SCHEMA audit CASCADE');
        io = inProcess();
        expect(
          await runAuditCli(['verify', '--tenant', trail.tenantId, '--database-url', bare.url], io),
        ).toBe(AUDIT_CLI_EXIT.failed);
        expect(io.err.join('')).toContain('AUDIT_STORE_FAILED');
        expect(io.err.join('')).not.toContain('could not be reached');
      } finally {
        await bare.drop();
      }
    });

    it('records an acknowledged below-floor retention before running it', async () => {
      io = inProcess();
      const code = await runAuditCli(
        [
          'retention',
          '--archive-dir',
          join(directory, 'archive-2'),
          '--signing-key',
          join(directory, 'signing.pem'),
          '--dry-run',
          '--standard-years',
          '5',
          '--extended-years',
          '10',
          '--acknowledge-below-floor',
          'Research copy, no patients',
          '--acknowledged-by',
          'officer',
          '--tenant',
          trail.tenantId,
        ],
        io,
      );
      expect(code).toBe(AUDIT_CLI_EXIT.ok);
      const { rows } = await db.pool.query<{ metadata: { reason: string } }>(
        "SELECT metadata FROM audit.events WHERE tenant_id = $1 AND action = 'audit_config_change'",
        [trail.tenantId],
      );
      expect(rows.map((row) => row.metadata.reason)).toEqual(['Research copy, no patients']);
    });
  });
});
