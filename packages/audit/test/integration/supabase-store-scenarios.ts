import { randomUUID } from 'node:crypto';
import type { JwtClaims } from '@carequeue/core/sql';
import { describe, expect, it } from 'vitest';
import { supabaseAuditStore } from '../../src/adapters/supabase.js';
import type { AuditStore } from '../../src/audit-store.js';
import { runAuditStoreContract } from '../../src/testing/index.js';
import { sampleAuditEvent } from '../../src/testing/sample-event.js';
import { erasureScenarios } from '../support/erasure-scenarios.js';
import { jwt, supabaseClient } from '../support/postgrest-stand-in.js';
import { appendTenant } from './append-security-scenarios.js';

/** The Supabase store as an end user's token makes it. */
function storeAs(claims: JwtClaims): AuditStore {
  return supabaseAuditStore({ client: supabaseClient(jwt({ ...claims })) });
}

/**
 * supabaseAuditStore through a PostgREST stand-in over a real database: the store contract and
 * erasure with the service role key, and issue 20's findings with end users' tokens.
 */
export function supabaseStoreScenarios(name: string): void {
  const server = (): AuditStore => supabaseAuditStore({ client: supabaseClient() });

  runAuditStoreContract({ describe, it, expect }, { name, store: server });
  erasureScenarios(name, server);

  describe(`the audit append path through the Supabase store on ${name}`, () => {
    it('a patient cannot append an event claiming staff user X exported patient Y', async () => {
      const t = appendTenant();
      const forged = sampleAuditEvent({
        tenantId: t.tenantId,
        userId: t.staffUser,
        category: 'export',
        action: 'export',
        patientId: randomUUID(),
        recipient: 'Acme Insurance',
      });
      await expect(storeAs(t.patient).append([forged])).rejects.toMatchObject({
        code: 'AUDIT_SUPABASE_REQUEST_FAILED',
        status: 403,
        postgrestCode: '42501',
      });
      expect((await server().query({ tenantId: t.tenantId })).items).toEqual([]);
      expect(await server().seal(t.tenantId)).toBe(0);
    });

    it("re-inserting a sealed event's id with another timestamp is refused and sealing continues", async () => {
      const t = appendTenant();
      const staff = storeAs(t.staff);
      const sealed = sampleAuditEvent({ tenantId: t.tenantId, userId: t.staffUser });
      await staff.append([sealed]);
      expect(await server().seal(t.tenantId)).toBe(1);
      const reused = { ...sealed, action: 'forged', timestamp: new Date(Date.UTC(2026, 5, 1)) };
      await expect(staff.append([reused])).rejects.toMatchObject({
        status: 409,
        postgrestCode: '23505',
      });
      await expect(server().append([reused])).rejects.toMatchObject({ postgrestCode: '23505' });
      const next = sampleAuditEvent({ tenantId: t.tenantId, userId: t.staffUser });
      await staff.append([next]);
      expect(await server().seal(t.tenantId)).toBe(1);
      expect(await server().verify(t.tenantId)).toMatchObject({ ok: true, checked: 2 });
      const trail = await server().query({ tenantId: t.tenantId, sortBy: 'sequence' });
      expect(trail.items.map((log) => log.id)).toEqual([sealed.id, next.id]);
    });
  });
}
