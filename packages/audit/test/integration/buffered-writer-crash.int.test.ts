import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPgExecutor } from '@carequeue/core/sql';
import { requirePostgres, useTestDatabase } from '@carequeue/test-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAuditStore } from '../../src/adapters/postgres.js';
import { createBufferedAuditWriter } from '../../src/buffered-writer.js';
import { fileAuditSpool } from '../../src/file-spool.js';

const postgres = await requirePostgres();
const packageDirectory = fileURLToPath(new URL('../..', import.meta.url));
const childScript = fileURLToPath(new URL('../fixtures/audit-writer-child.ts', import.meta.url));
const RUNS = 10;
const OUTPUT_BOUND_MS = 60_000;

interface ChildRun {
  readonly acknowledged: string[];
  readonly signal: NodeJS.Signals | null;
}

function runChildUntilKilled(
  env: Record<string, string>,
  killAfterAcks: number,
): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', childScript], {
      cwd: packageDirectory,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acknowledged: string[] = [];
    let ready = false;
    let pending = '';
    let stderr = '';
    const bound = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the writer child gave too little output: ${stderr.slice(0, 2000)}`));
    }, OUTPUT_BOUND_MS);
    const killWhenDue = (): void => {
      if (ready && acknowledged.length >= killAfterAcks && child.exitCode === null) {
        child.kill('SIGKILL');
      }
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (line === 'ready') ready = true;
        else if (line.startsWith('ack ')) acknowledged.push(line.slice(4));
      }
      killWhenDue();
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      clearTimeout(bound);
      resolve({ acknowledged, signal });
    });
  });
}

describe.skipIf(!postgres.available)('buffered audit writer killed with SIGKILL', () => {
  const db = useTestDatabase();
  const tenantId = randomUUID();
  let directory: string;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'cq-audit-crash-'));
  });

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('keeps every acknowledged event and one verifying chain when the writer is killed at random points', async () => {
    const spoolPath = join(directory, 'audit.spool');
    const store = postgresAuditStore({ executor: createPgExecutor({ pool: db.pool }) });
    const everyAcknowledged: string[] = [];
    let replayedFromSpool = 0;

    for (let run = 0; run < RUNS; run += 1) {
      const outage = run % 2 === 0 ? 'always' : 'intermittent';
      const killAfterAcks = Math.floor(Math.random() * 300);
      const child = await runChildUntilKilled(
        {
          AUDIT_DATABASE_URL: db.url,
          AUDIT_SPOOL_PATH: spoolPath,
          AUDIT_TENANT_ID: tenantId,
          AUDIT_STORE_OUTAGE: outage,
        },
        killAfterAcks,
      );
      expect(child.signal).toBe('SIGKILL');
      expect(child.acknowledged.length).toBeGreaterThanOrEqual(killAfterAcks);

      const restarted = createBufferedAuditWriter({
        store,
        spool: fileAuditSpool({ path: spoolPath }),
      });
      const replay = await restarted.start();
      await restarted.close();
      expect(replay.pending).toBe(0);
      if (outage === 'always') {
        // Every acknowledged event of this run could only have been durable in the spool.
        expect(replay.replayed).toBeGreaterThanOrEqual(child.acknowledged.length);
      }
      replayedFromSpool += replay.replayed;
      everyAcknowledged.push(...child.acknowledged);

      const { rows } = await db.pool.query<{ correlation_id: string; copies: string }>(
        `SELECT correlation_id, count(*) AS copies FROM audit.events
          WHERE tenant_id = $1 AND correlation_id = ANY($2::text[]) GROUP BY correlation_id`,
        [tenantId, child.acknowledged],
      );
      expect(rows).toHaveLength(child.acknowledged.length);
      expect(rows.every((row) => Number(row.copies) === 1)).toBe(true);
    }

    expect(replayedFromSpool).toBeGreaterThan(0);
    while ((await store.seal(tenantId)) > 0);
    const verification = await store.verify(tenantId);
    expect(verification.ok).toBe(true);
    const { rows } = await db.pool.query<{ events: string }>(
      'SELECT count(*) AS events FROM audit.events WHERE tenant_id = $1',
      [tenantId],
    );
    expect(verification).toMatchObject({ checked: Number(rows[0]?.events) });
    expect(Number(rows[0]?.events)).toBeGreaterThanOrEqual(everyAcknowledged.length);
  }, 600_000);
});
