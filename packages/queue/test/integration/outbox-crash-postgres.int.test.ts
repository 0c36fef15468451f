import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createFieldEncryptor, keyringFromConfig } from '@carequeue/core/crypto';
import { asServiceRole, createPgExecutor, type SqlExecutor } from '@carequeue/core/sql';
import {
  killWithTestProcess,
  requirePostgres,
  useTestDatabase,
  waitUntil,
} from '@carequeue/test-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotificationOutbox } from '../../src/notifications/postgres/notification-outbox.js';
import { nextMessageSid } from './notification-twilio-fixture.js';
import { calledSms, ticketOf } from './outbox-fixture.js';
import { seedTwoTenants } from './tenant-fixture.js';

const postgres = await requirePostgres();
const CHILD = fileURLToPath(new URL('./outbox-dispatcher-child.mjs', import.meta.url));
const BUILT_ENTRY = fileURLToPath(new URL('../../dist/index.js', import.meta.url));
const KILLS = 10;
const COMMITTED = 30;
const ROLLED_BACK = 10;

interface Delivery {
  readonly ticket: string;
  readonly sid: string;
}

/** A Twilio Messages stand-in that can kill the dispatcher right after accepting a message. */
class TwilioStandIn {
  readonly deliveries: Delivery[] = [];
  killAfterNextAccept: ChildProcess | undefined;
  killsAfterAccept = 0;
  readonly server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      const text = new URLSearchParams(body).get('Body') ?? '';
      const sid = nextMessageSid();
      this.deliveries.push({ ticket: ticketOf(text) ?? '?', sid });
      response.writeHead(201, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ sid, status: 'queued', body: text }), () => {
        const victim = this.killAfterNextAccept;
        if (victim === undefined) return;
        // The provider has accepted the message; the dispatcher dies before it can record it.
        this.killAfterNextAccept = undefined;
        this.killsAfterAccept += 1;
        victim.kill('SIGKILL');
      });
    });
  });

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function pendingCount(sql: SqlExecutor): Promise<number> {
  const { rows } = await asServiceRole(sql, (tx) =>
    tx.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM queue.notification_outbox WHERE status <> 'sent'",
    ),
  );
  return rows[0]?.n ?? -1;
}

describe.skipIf(!postgres.available)('outbox dispatcher killed at random points (Postgres)', () => {
  const db = useTestDatabase({ poolSize: 4 });
  const standIn = new TwilioStandIn();
  const encryptionKey = randomBytes(32).toString('base64');
  const blindIndexKey = randomBytes(32).toString('base64');
  let twilioUrl = '';

  beforeAll(async () => {
    twilioUrl = await standIn.listen();
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => standIn.server.close(() => resolve()));
  });

  function startDispatcher(workerId: string): ChildProcess {
    const child = spawn(process.execPath, [CHILD], {
      env: {
        ...process.env,
        DATABASE_URL: db.url,
        TWILIO_URL: twilioUrl,
        ENCRYPTION_KEY: encryptionKey,
        BLIND_INDEX_KEY: blindIndexKey,
        WORKER_ID: workerId,
        LEASE_MS: '400',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    killWithTestProcess(child);
    return child;
  }

  it('loses nothing, duplicates at most once per kill and sends nothing for a rolled-back change', async () => {
    expect(
      existsSync(BUILT_ENTRY),
      'build the package first (pnpm build): the child imports dist',
    ).toBe(true);
    const sql = createPgExecutor({ pool: db.pool });
    const { a: t } = await seedTwoTenants(sql);
    const outbox = createNotificationOutbox({
      encryptor: createFieldEncryptor({
        keys: keyringFromConfig({ current: 'k1', keys: { k1: encryptionKey } }),
      }),
    });
    const committed: string[] = [];
    const rolledBack: string[] = [];
    for (let i = 0; i < COMMITTED; i += 1) {
      const ticket = `C-${i}`;
      committed.push(ticket);
      await asServiceRole(sql, (tx) => outbox.enqueue(tx, calledSms(t, ticket)));
      if (i % 3 === 0) {
        const lost = `R-${i}`;
        rolledBack.push(lost);
        await asServiceRole(sql, async (tx) => {
          await outbox.enqueue(tx, calledSms(t, lost));
          throw new Error('rolled back');
        }).catch(() => undefined);
      }
    }
    expect(rolledBack).toHaveLength(ROLLED_BACK);

    // A fixed sequence of kill delays, so a failure can be replayed.
    const delays = [35, 180, 60, 420, 95, 250, 140, 330, 75, 500];
    for (let kill = 0; kill < KILLS; kill += 1) {
      const child = startDispatcher(`worker-${kill}`);
      if (kill % 2 === 0 && (await pendingCount(sql)) > 0) {
        standIn.killAfterNextAccept = child;
        // Should nothing be accepted (all sent already), fall back to a timed kill.
        setTimeout(() => child.kill('SIGKILL'), 20_000).unref();
      } else {
        setTimeout(() => child.kill('SIGKILL'), delays[kill]).unref();
      }
      await exited(child);
      standIn.killAfterNextAccept = undefined;
      expect(child.signalCode).toBe('SIGKILL');
    }

    const survivor = startDispatcher('survivor');
    await waitUntil(async () => (await pendingCount(sql)) === 0, {
      timeoutMs: 60_000,
      description: 'every committed notification to be recorded as sent',
    });
    survivor.kill('SIGTERM');
    await exited(survivor);

    const delivered = standIn.deliveries.map((delivery) => delivery.ticket);
    const unique = new Set(delivered);
    expect([...unique].sort()).toEqual([...committed].sort());
    expect(rolledBack.filter((ticket) => unique.has(ticket))).toEqual([]);
    expect(delivered.length - unique.size).toBeLessThanOrEqual(KILLS);
    expect(standIn.killsAfterAccept).toBeGreaterThanOrEqual(1);

    const { rows } = await asServiceRole(sql, (tx) =>
      tx.query<{ dedupe_key: string; status: string; provider_message_id: string }>(
        'SELECT dedupe_key, status, provider_message_id FROM queue.notification_outbox',
      ),
    );
    expect(rows).toHaveLength(COMMITTED);
    for (const row of rows) {
      const ticket = row.dedupe_key.replace('queue.called:', '');
      const sids = standIn.deliveries.filter((d) => d.ticket === ticket).map((d) => d.sid);
      expect(row.status).toBe('sent');
      expect(sids).toContain(row.provider_message_id);
    }
  });
});
