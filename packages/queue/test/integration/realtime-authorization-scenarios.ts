import { uuidv7 } from '@carequeue/core';
import { asServiceRole, type JwtClaims, type SqlExecutor } from '@carequeue/core/sql';
import { beforeAll, describe, expect, it } from 'vitest';
import { queueTopic, tenantTopic } from '../../src/realtime/realtime-event.js';
import { mayBroadcast, mayJoin, type RealtimeCaller } from './realtime-authorization.js';
import {
  adminClaims,
  patientClaims,
  receptionistClaims,
  seedTwoTenants,
} from './tenant-fixture.js';
import type { SeededTenant } from './tenant-fixture.js';

/** The Realtime channel topic the Supabase bus joins for a CareQueue topic. */
export function channelOf(topic: string): string {
  return `carequeue:${topic}`;
}

/** Opens a queue line at `clinicId` (the first check-in does this in the service). */
export async function openLine(
  executor: SqlExecutor,
  tenantId: string,
  clinicId: string,
): Promise<string> {
  const queueId = uuidv7();
  await asServiceRole(executor, (tx) =>
    tx.query(
      `INSERT INTO queue.queue_lines (tenant_id, queue_id, clinic_id, created_at)
       VALUES ($1, $2, $3, '2026-03-02T09:00:00Z')`,
      [tenantId, queueId, clinicId],
    ),
  );
  return queueId;
}

function as(role: string, claims: JwtClaims | Record<string, unknown>): RealtimeCaller {
  return { role, claims };
}

type Topics = Record<
  'tenantA' | 'queueA1' | 'queueA2' | 'unopenedA' | 'tenantB' | 'queueB1' | 'malformed',
  string
>;

/**
 * The `realtime.messages` policies of queue migration 0012, asked the way Supabase Realtime asks
 * them when a client joins a private channel or broadcasts on it.
 */
export function realtimeAuthorizationScenarios(executor: () => SqlExecutor): void {
  let a: SeededTenant;
  let b: SeededTenant;
  let topics: Topics;
  let callers: Record<string, RealtimeCaller>;

  beforeAll(async () => {
    ({ a, b } = await seedTwoTenants(executor()));
    const queueA1 = await openLine(executor(), a.tenantId, a.clinicOne);
    const queueA2 = await openLine(executor(), a.tenantId, a.clinicTwo);
    const queueB1 = await openLine(executor(), b.tenantId, b.clinicOne);
    topics = {
      tenantA: channelOf(tenantTopic(a.tenantId)),
      queueA1: channelOf(queueTopic(a.tenantId, queueA1)),
      queueA2: channelOf(queueTopic(a.tenantId, queueA2)),
      unopenedA: channelOf(queueTopic(a.tenantId, uuidv7())),
      tenantB: channelOf(tenantTopic(b.tenantId)),
      queueB1: channelOf(queueTopic(b.tenantId, queueB1)),
      malformed: `carequeue:queue:${a.tenantId}:not-a-uuid`,
    };
    callers = {
      anon: as('anon', { role: 'anon' }),
      // The anon key with claims copied from an admin: the database role decides, not the claims.
      anonWithAdminClaims: as('anon', { ...adminClaims(a), role: 'anon' }),
      patientA: as('authenticated', patientClaims(a)),
      adminA: as('authenticated', adminClaims(a)),
      receptionistA: as('authenticated', receptionistClaims(a)),
      adminB: as('authenticated', adminClaims(b)),
      noTenant: as('authenticated', { sub: a.adminUser, role: 'authenticated' }),
      serviceRole: as('service_role', { role: 'service_role' }),
    };
  });

  async function joinable(caller: string): Promise<string[]> {
    const allowed: string[] = [];
    for (const [name, topic] of Object.entries(topics)) {
      if (await mayJoin(executor(), topic, callers[caller] as RealtimeCaller)) allowed.push(name);
    }
    return allowed;
  }

  async function broadcastable(caller: string): Promise<string[]> {
    const allowed: string[] = [];
    for (const [name, topic] of Object.entries(topics)) {
      if (await mayBroadcast(executor(), topic, callers[caller] as RealtimeCaller)) {
        allowed.push(name);
      }
    }
    return allowed;
  }

  describe('realtime.messages policies on CareQueue topics', () => {
    it('refuses anon every CareQueue topic, even with a tenant id and admin claims in its token', async () => {
      expect(await joinable('anon')).toEqual([]);
      expect(await joinable('anonWithAdminClaims')).toEqual([]);
      expect(await broadcastable('anon')).toEqual([]);
      expect(await broadcastable('anonWithAdminClaims')).toEqual([]);
    });

    it("refuses a patient the staff topics of their own tenant and every topic of another tenant's", async () => {
      expect(await joinable('patientA')).toEqual([]);
      expect(await broadcastable('patientA')).toEqual([]);
    });

    it("lets an admin join and broadcast on their tenant's topics only", async () => {
      expect(await joinable('adminA')).toEqual(['tenantA', 'queueA1', 'queueA2', 'unopenedA']);
      expect(await broadcastable('adminA')).toEqual(['tenantA', 'queueA1', 'queueA2', 'unopenedA']);
      expect(await joinable('adminB')).toEqual(['tenantB', 'queueB1']);
    });

    it("limits a receptionist to the queues of their clinic, and lets them publish to the tenant's topic but not read it", async () => {
      expect(await joinable('receptionistA')).toEqual(['queueA1']);
      expect(await broadcastable('receptionistA')).toEqual(['tenantA', 'queueA1']);
    });

    it('refuses claims without a tenant, and a malformed topic to everyone but service_role', async () => {
      expect(await joinable('noTenant')).toEqual([]);
      expect(await broadcastable('noTenant')).toEqual([]);
      expect(await joinable('serviceRole')).toEqual(Object.keys(topics));
    });

    it('refuses presence on CareQueue topics, which use broadcast only', async () => {
      expect(await mayJoin(executor(), topics.queueA1, callers.adminA!, 'presence')).toBe(false);
    });

    it("keeps CareQueue topics closed when the host adds a broad policy of its own, and leaves the host's other topics to it", async () => {
      await executor().exec(`
        CREATE POLICY host_everyone_receives ON realtime.messages FOR SELECT TO anon, authenticated USING (true);
        CREATE POLICY host_everyone_sends ON realtime.messages FOR INSERT TO anon, authenticated WITH CHECK (true);
      `);
      try {
        expect(await joinable('anon')).toEqual([]);
        expect(await joinable('patientA')).toEqual([]);
        expect(await broadcastable('patientA')).toEqual([]);
        expect(await joinable('receptionistA')).toEqual(['queueA1']);
        expect(await mayJoin(executor(), 'room:lobby', callers.anon!)).toBe(true);
        expect(await mayBroadcast(executor(), 'room:lobby', callers.patientA!)).toBe(true);
      } finally {
        await executor().exec(`
          DROP POLICY host_everyone_receives ON realtime.messages;
          DROP POLICY host_everyone_sends ON realtime.messages;
        `);
      }
    });

    it('stores nothing in realtime.messages when asked', async () => {
      await joinable('adminA');
      await broadcastable('adminA');
      const { rows } = await executor().query<{ count: string }>(
        'SELECT count(*)::text AS count FROM realtime.messages',
      );
      expect(rows[0]?.count).toBe('0');
    });
  });
}
