import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { withClaims, type SqlExecutor } from '@carequeue/core/sql';
import { expect, it } from 'vitest';
import { canonicalForm, GENESIS_HASH } from '../../src/canonical-form.js';
import { postgresAuditStore, recordInTransaction } from '../../src/adapters/postgres.js';
import { sampleAuditEvent } from '../../src/testing/sample-event.js';
import type { AuditStore } from '../../src/audit-store.js';
import { createCheckpoint, openCheckpoint } from '../../src/checkpoint.js';
import { AuditCheckpointInvalidError } from '../../src/errors.js';
import { rewriteChainFrom } from '../support/rewrite-chain.js';

async function sealedChain(store: AuditStore, length: number): Promise<string> {
  const tenantId = randomUUID();
  for (let index = 0; index < length; index += 1) {
    await store.append([
      sampleAuditEvent({ tenantId, timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, index)) }),
    ]);
  }
  await store.seal(tenantId);
  return tenantId;
}

async function eventIdAt(sql: SqlExecutor, tenantId: string, sequence: number): Promise<string> {
  const { rows } = await sql.query<{ event_id: string }>(
    'SELECT event_id FROM audit.chain WHERE tenant_id = $1 AND sequence = $2',
    [tenantId, sequence],
  );
  return rows[0]?.event_id as string;
}

/** Registers the Postgres-specific scenarios (acceptance 1, 2 and 4) for one executor. */
export function postgresScenarios(executor: () => SqlExecutor, writers: () => SqlExecutor[]): void {
  const store = (): AuditStore => postgresAuditStore({ executor: executor() });

  it('renders the same canonical form in SQL as in TypeScript when given one event', async () => {
    const event = sampleAuditEvent({ oldValue: { givenName: { $encrypted: 'cq1.s.k.iv.x' } } });
    await store().append([event]);
    const { rows } = await executor().query<{ text: string }>(
      'SELECT audit.canonical_form(e, $2) AS text FROM audit.events e WHERE e.id = $1',
      [event.id, GENESIS_HASH],
    );
    expect(rows[0]?.text).toBe(canonicalForm(event, GENESIS_HASH));
  });

  it('renders the same canonical form in SQL as in TypeScript for hostile text and JSON', async () => {
    const hostile =
      'quote " backslash \\ slash / tab \t newline \n nul-free \u0001 \u001f é ✓ \u2028 😀 </script>';
    const event = sampleAuditEvent({
      action: hostile,
      resourceId: `r-${hostile}`,
      userAgent: hostile,
      changedFields: [hostile, 'b', ''],
      dataCategories: [],
      oldValue: null,
      newValue: {
        [hostile]: [1, 1.5, -0, 1e21, 0.1, true, null, { nested: hostile }],
        b: '',
        a: {},
      },
      metadata: { long: 'x'.repeat(2_000), list: [], empty: {}, unicode: '\u00e9' },
      recipient: null,
      sessionId: null,
    });
    await store().append([event]);
    const { rows } = await executor().query<{ text: string }>(
      'SELECT audit.canonical_form(e, $2) AS text FROM audit.events e WHERE e.id = $1',
      [event.id, GENESIS_HASH],
    );
    expect(rows[0]?.text).toBe(canonicalForm(event, GENESIS_HASH));
    // Sealed chains were hashed over the jsonb rendering of sql/0001; the text one of sql/0007
    // must give the same text, or their old links would stop verifying.
    const jsonb = await executor().query<{ text: string }>(
      `SELECT jsonb_build_array(
         'cq-audit-v1', $2::text, e.tenant_id::text, e.id::text,
         to_char(e."timestamp" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
         e.user_id, e.category, e.action, e.outcome, e.resource_type, e.resource_id, e.patient_id,
         e.old_value, e.new_value, to_jsonb(e.changed_fields), e.ip_address, e.user_agent,
         e.metadata, e.purpose_of_use, e.recipient, e.disclosure_basis, e.session_id,
         e.correlation_id, to_jsonb(e.data_categories), e.retention_class)::text AS text
       FROM audit.events e WHERE e.id = $1`,
      [event.id, GENESIS_HASH],
    );
    expect(rows[0]?.text).toBe(jsonb.rows[0]?.text);
  });

  it('reports an edit at its position when a superuser updates a sealed row', async () => {
    const tenantId = await sealedChain(store(), 8);
    await executor().query("UPDATE audit.events SET action = 'forged' WHERE id = $1", [
      await eventIdAt(executor(), tenantId, 3),
    ]);
    expect(await store().verify(tenantId)).toEqual({
      ok: false,
      checked: 2,
      break: { sequence: 3, kind: 'edited' },
    });
  });

  it("a chain rewritten and re-hashed fails verify against the tenant's own signed checkpoint", async () => {
    const tenantId = await sealedChain(store(), 6);
    const keys = generateKeyPairSync('ed25519');
    const signed = await createCheckpoint(store(), tenantId, keys.privateKey);
    await rewriteChainFrom(executor(), tenantId, 3);
    // The rewritten chain agrees with itself, and is as long as the signed one: verification
    // without the checkpoint, or with its sequence only (what verify --checkpoint used), passes.
    expect(await store().verify(tenantId)).toMatchObject({ ok: true, checked: 6 });
    expect(await store().verify(tenantId, { expectedEnd: signed.sequence })).toMatchObject({
      ok: true,
    });
    const checkpoint = openCheckpoint(signed, keys.publicKey, tenantId);
    expect(await store().verify(tenantId, { checkpoint })).toEqual({
      ok: false,
      checked: 5,
      break: { sequence: 6, kind: 'rewritten' },
    });
  });

  it("another tenant's checkpoint is refused, and cannot vouch for this tenant's chain", async () => {
    const tenantId = await sealedChain(store(), 4);
    const otherTenant = await sealedChain(store(), 4);
    const keys = generateKeyPairSync('ed25519');
    const signedForOther = await createCheckpoint(store(), otherTenant, keys.privateKey);
    expect(() => openCheckpoint(signedForOther, keys.publicKey, tenantId)).toThrow(
      AuditCheckpointInvalidError,
    );
    // Its position, taken without the tenant check, does not match this chain either.
    const position = { sequence: signedForOther.sequence, hash: signedForOther.hash };
    expect(await store().verify(tenantId, { checkpoint: position })).toEqual({
      ok: false,
      checked: 3,
      break: { sequence: 4, kind: 'rewritten' },
    });
  });

  it('reports a deletion at its position when a superuser deletes a sealed row', async () => {
    const tenantId = await sealedChain(store(), 8);
    await executor().query('DELETE FROM audit.events WHERE id = $1', [
      await eventIdAt(executor(), tenantId, 6),
    ]);
    expect(await store().verify(tenantId)).toEqual({
      ok: false,
      checked: 5,
      break: { sequence: 6, kind: 'deleted' },
    });
  });

  it('reports an insertion at its position when a superuser splices a forged row in', async () => {
    const tenantId = await sealedChain(store(), 8);
    const sql = executor();
    const previous = await sql.query<{ payload_hash: string }>(
      'SELECT payload_hash FROM audit.chain WHERE tenant_id = $1 AND sequence = 4',
      [tenantId],
    );
    const forged = sampleAuditEvent({ tenantId, action: 'forged' });
    await recordInTransaction(sql, forged);
    await sql.transaction(async (tx) => {
      await tx.query('ALTER TABLE audit.chain DROP CONSTRAINT chain_no_fork');
      await tx.query(
        'UPDATE audit.chain SET sequence = sequence + 1000 WHERE tenant_id = $1 AND sequence >= 5',
        [tenantId],
      );
      await tx.query(
        'UPDATE audit.chain SET sequence = sequence - 999 WHERE tenant_id = $1 AND sequence > 1000',
        [tenantId],
      );
      await tx.query(
        `INSERT INTO audit.chain (tenant_id, sequence, event_id, event_retention_class,
           event_timestamp, previous_hash, payload_hash)
         SELECT $1, 5, e.id, e.retention_class, e."timestamp", $3, audit.payload_hash(e, $3)
         FROM audit.events e WHERE e.id = $2`,
        [tenantId, forged.id, previous.rows[0]?.payload_hash],
      );
    });
    try {
      expect(await store().verify(tenantId)).toEqual({
        ok: false,
        checked: 5,
        break: { sequence: 5, kind: 'inserted' },
      });
    } finally {
      await sql.query('DELETE FROM audit.chain WHERE tenant_id = $1', [tenantId]);
      await sql.query(
        'ALTER TABLE audit.chain ADD CONSTRAINT chain_no_fork UNIQUE (tenant_id, previous_hash)',
      );
    }
  });

  it('refuses UPDATE and DELETE when the application role tries them', async () => {
    const tenantId = await sealedChain(store(), 2);
    const claims = { sub: randomUUID(), app_metadata: { tenant_id: tenantId } };
    for (const statement of [
      "UPDATE audit.events SET action = 'x' WHERE tenant_id = $1",
      'DELETE FROM audit.events WHERE tenant_id = $1',
      "UPDATE audit.chain SET payload_hash = 'x' WHERE tenant_id = $1",
    ]) {
      await expect(
        withClaims(executor(), claims, (tx) => tx.query(statement, [tenantId])),
      ).rejects.toMatchObject({ code: 'SQL_PERMISSION_DENIED' });
    }
    const readable = await withClaims(executor(), claims, (tx) =>
      tx.query('SELECT count(*)::int AS n FROM audit.events'),
    );
    expect(readable.rows).toEqual([{ n: 2 }]);
    expect((await store().verify(tenantId)).ok).toBe(true);
  });

  it('rejects changes through the trigger when a role holds UPDATE, DELETE and TRUNCATE grants', async () => {
    const role = `cq_audit_probe_${randomUUID().replaceAll('-', '')}`;
    const messages: string[] = [];
    for (const statement of [
      "UPDATE audit.events SET action = 'x'",
      'DELETE FROM audit.events',
      'TRUNCATE audit.events',
    ]) {
      await executor()
        .transaction(async (tx) => {
          await tx.exec(
            `CREATE ROLE ${role}; GRANT USAGE ON SCHEMA audit TO ${role}; GRANT SELECT, UPDATE, DELETE, TRUNCATE ON audit.events TO ${role}; ALTER TABLE audit.events DISABLE ROW LEVEL SECURITY; SET LOCAL ROLE ${role}`,
          );
          await tx.query(statement);
        })
        .catch((error: unknown) => {
          const cause = (error as { cause?: { message?: string } }).cause;
          messages.push(cause?.message ?? String(error));
        });
    }
    expect(messages).toHaveLength(3);
    for (const message of messages) expect(message).toContain('append-only');
  });

  it('gives one unbroken chain when 8 writers append 1,000 events each while sealing runs', async () => {
    const tenantId = randomUUID();
    const pools = writers();
    let writing = true;
    const sealer = (async () => {
      let sealed = 0;
      while (writing) sealed += await store().seal(tenantId, 500);
      return sealed;
    })();
    await Promise.all(
      pools.map(async (sql) => {
        const writer = postgresAuditStore({ executor: sql });
        for (let index = 0; index < 1_000; index += 1) {
          await writer.append([sampleAuditEvent({ tenantId, timestamp: new Date() })]);
        }
      }),
    );
    writing = false;
    const sealedWhileWriting = await sealer;
    const sealedAfter = await store().seal(tenantId);
    expect(sealedWhileWriting + sealedAfter).toBe(8_000);
    const result = await store().verify(tenantId);
    expect(result).toEqual({ ok: true, checked: 8_000, head: await store().head(tenantId) });
    const distinct = await executor().query<{ n: number }>(
      'SELECT count(DISTINCT previous_hash)::int AS n FROM audit.chain WHERE tenant_id = $1',
      [tenantId],
    );
    expect(distinct.rows).toEqual([{ n: 8_000 }]);
  }, 240_000);

  it('keeps an event exactly when its data change commits', async () => {
    const sql = executor();
    await sql.exec(
      'CREATE TABLE IF NOT EXISTS public.audit_probe_rows (id uuid PRIMARY KEY, tenant_id uuid NOT NULL)',
    );
    const tenantId = randomUUID();
    const committed: string[] = [];
    for (let index = 0; index < 20; index += 1) {
      const rowId = randomUUID();
      const commit = index % 3 !== 0;
      await sql
        .transaction(async (tx) => {
          await tx.query('INSERT INTO public.audit_probe_rows (id, tenant_id) VALUES ($1, $2)', [
            rowId,
            tenantId,
          ]);
          await recordInTransaction(
            tx,
            sampleAuditEvent({
              tenantId,
              category: 'modification',
              action: 'create',
              resourceId: rowId,
            }),
          );
          if (!commit) throw new Error('rolled back on purpose');
        })
        .catch((error: unknown) => {
          if (commit) throw error;
        });
      if (commit) committed.push(rowId);
    }
    const rows = await sql.query<{ id: string }>(
      'SELECT id FROM public.audit_probe_rows WHERE tenant_id = $1',
      [tenantId],
    );
    const page = await store().query({ tenantId, limit: 100 });
    expect(rows.rows.map((row) => row.id).sort()).toEqual([...committed].sort());
    expect(page.items.map((log) => log.resourceId).sort()).toEqual([...committed].sort());
    await recordInTransaction(sql, []);
  });

  it('fails the commit when the queued audit insert fails: the data change rolls back with it', async () => {
    const sql = executor();
    await sql.exec(
      'CREATE TABLE IF NOT EXISTS public.audit_probe_rows (id uuid PRIMARY KEY, tenant_id uuid NOT NULL); GRANT INSERT, SELECT ON public.audit_probe_rows TO authenticated',
    );
    const tenantId = randomUUID();
    const rowId = randomUUID();
    // A valid event (an invalid one is refused before anything is queued) that the database
    // refuses at commit: the caller's claims name another tenant, so row-level security refuses
    // the insert.
    const refused = sampleAuditEvent({ tenantId });
    const claims = { sub: randomUUID(), app_metadata: { tenant_id: randomUUID() } };
    const error = await withClaims(sql, claims, async (tx) => {
      await tx.query('INSERT INTO public.audit_probe_rows (id, tenant_id) VALUES ($1, $2)', [
        rowId,
        tenantId,
      ]);
      await recordInTransaction(tx, refused);
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'AUDIT_STORE_FAILED',
      message: expect.stringContaining('[audit:postgres] append failed') as unknown,
    });
    const rows = await sql.query('SELECT id FROM public.audit_probe_rows WHERE id = $1', [rowId]);
    expect(rows.rows).toEqual([]);
    expect((await store().query({ tenantId })).items).toEqual([]);
  });

  it('wraps driver errors with the adapter prefix when the database refuses', async () => {
    const broken = postgresAuditStore({
      executor: { ...executor(), query: () => Promise.reject(new Error('down')) },
    });
    await expect(broken.seal(randomUUID())).rejects.toMatchObject({
      code: 'AUDIT_STORE_FAILED',
      message: expect.stringContaining('[audit:postgres] seal failed') as unknown,
    });
  });
}
