import { randomBytes } from 'node:crypto';
import { createFakeClock, uuidv7 } from '@carequeue/core';
import { createBlindIndex, createFieldEncryptor, keyringFromConfig } from '@carequeue/core/crypto';
import {
  asServiceRole,
  SqlPermissionDeniedError,
  withClaims,
  type JwtClaims,
  type SqlExecutor,
} from '@carequeue/core/sql';
import { beforeAll, describe, expect, it } from 'vitest';
import { sqlOptOutStore } from '../../src/notifications/opt-out-store.js';
import {
  createNotificationOutbox,
  type NewNotification,
} from '../../src/outbox/notification-outbox.js';
import {
  adminClaims,
  patientClaims,
  receptionistClaims,
  seedTwoTenants,
  type SeededTenant,
} from './tenant-fixture.js';

const PHONE = '+14155550100';
const key = (): string => randomBytes(32).toString('base64');

function notification(t: SeededTenant, clinicId: string, dedupeKey: string): NewNotification {
  return {
    tenantId: t.tenantId,
    clinicId,
    patientId: t.patientOne,
    kind: 'booking.confirmed',
    channel: 'sms',
    to: PHONE,
    locales: ['en'],
    variables: { clinicName: 'Riverside Clinic', time: '2 March 2026, 09:30' },
    dedupeKey,
  };
}

async function count(sql: SqlExecutor, claims: JwtClaims, table: string): Promise<number> {
  return withClaims(sql, claims, async (tx) => {
    const { rows } = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM queue.${table}`);
    return rows[0]?.n ?? -1;
  });
}

async function insertJob(tx: SqlExecutor, tenantId: string, uniqueKey: string): Promise<void> {
  await tx.query(
    `INSERT INTO queue.jobs (id, tenant_id, kind, unique_key, payload, run_at, max_attempts, created_at, updated_at)
     VALUES ($1, $2, 'booking.reminder', $3, '{}', $4, 5, $4, $4)`,
    [uuidv7(), tenantId, uniqueKey, new Date('2026-03-02T09:00:00Z')],
  );
}

/** Row-level security of the outbox, opt-out, job and realtime topic tables. */
export function notificationRlsScenarios(executor: () => SqlExecutor): void {
  let sql: SqlExecutor;
  let a: SeededTenant;
  let b: SeededTenant;
  const encryptor = createFieldEncryptor({
    keys: keyringFromConfig({ current: 'k1', keys: { k1: key() } }),
  });
  const blindIndex = createBlindIndex({ key: key() });
  const outbox = createNotificationOutbox({ encryptor, clock: createFakeClock() });

  beforeAll(async () => {
    sql = executor();
    ({ a, b } = await seedTwoTenants(sql));
    await withClaims(sql, patientClaims(a), (tx) =>
      outbox.enqueue(tx, notification(a, a.clinicOne, 'one')),
    );
    await withClaims(sql, adminClaims(a), (tx) =>
      outbox.enqueue(tx, notification(a, a.clinicTwo, 'two')),
    );
    await withClaims(sql, adminClaims(b), (tx) =>
      outbox.enqueue(tx, notification(b, b.clinicOne, 'one')),
    );
    await withClaims(sql, patientClaims(a), (tx) => insertJob(tx, a.tenantId, 'reminder:a'));
    await withClaims(sql, adminClaims(b), (tx) => insertJob(tx, b.tenantId, 'reminder:b'));
  });

  describe('notification_outbox', () => {
    it('lets a patient enqueue but not read, and staff read only their tenant and clinics', async () => {
      expect(await count(sql, patientClaims(a), 'notification_outbox')).toBe(0);
      expect(await count(sql, adminClaims(a), 'notification_outbox')).toBe(2);
      expect(await count(sql, receptionistClaims(a), 'notification_outbox')).toBe(1);
      expect(await count(sql, adminClaims(b), 'notification_outbox')).toBe(1);
      const all = await asServiceRole(sql, (tx) =>
        tx.query<{ n: number }>('SELECT count(*)::int AS n FROM queue.notification_outbox'),
      );
      expect(all.rows[0]?.n).toBe(3);
    });

    it('refuses a row for another tenant and any update by a request role', async () => {
      await expect(
        withClaims(sql, adminClaims(a), (tx) =>
          outbox.enqueue(tx, notification(b, b.clinicOne, 'x')),
        ),
      ).rejects.toBeInstanceOf(SqlPermissionDeniedError);
      await expect(
        withClaims(sql, adminClaims(a), (tx) =>
          tx.query("UPDATE queue.notification_outbox SET status = 'sent'"),
        ),
      ).rejects.toBeInstanceOf(SqlPermissionDeniedError);
    });

    it('drops a second notification with the same dedupe key', async () => {
      const again = await withClaims(sql, patientClaims(a), (tx) =>
        outbox.enqueue(tx, notification(a, a.clinicOne, 'one')),
      );
      expect(again).toBeUndefined();
      expect(await count(sql, adminClaims(a), 'notification_outbox')).toBe(2);
    });

    it('keeps the contact data out of every column', async () => {
      const { rows } = await asServiceRole(sql, (tx) =>
        tx.query<Record<string, unknown>>('SELECT * FROM queue.notification_outbox'),
      );
      expect(rows).toHaveLength(3);
      expect(JSON.stringify(rows)).not.toContain(PHONE);
    });
  });

  describe('notification_opt_outs', () => {
    it('lets a patient record their own opt-out only, and staff read their tenant', async () => {
      await withClaims(sql, patientClaims(a), (tx) =>
        sqlOptOutStore({ executor: tx, blindIndex }).record({
          tenantId: a.tenantId,
          channel: 'sms',
          address: PHONE,
          patientId: a.patientOne,
          source: 'patient',
          at: Date.UTC(2026, 2, 2),
        }),
      );
      await expect(
        withClaims(sql, patientClaims(a), (tx) =>
          sqlOptOutStore({ executor: tx, blindIndex }).record({
            tenantId: a.tenantId,
            channel: 'sms',
            address: '+14155550111',
            patientId: a.patientTwo,
            source: 'patient',
            at: Date.UTC(2026, 2, 2),
          }),
        ),
      ).rejects.toBeInstanceOf(SqlPermissionDeniedError);
      await withClaims(sql, receptionistClaims(a), (tx) =>
        sqlOptOutStore({ executor: tx, blindIndex }).record({
          tenantId: a.tenantId,
          channel: 'email',
          address: 'pat@example.org',
          source: 'staff',
          at: Date.UTC(2026, 2, 2),
        }),
      );

      expect(await count(sql, adminClaims(a), 'notification_opt_outs')).toBe(2);
      expect(await count(sql, patientClaims(a), 'notification_opt_outs')).toBe(1);
      expect(await count(sql, adminClaims(b), 'notification_opt_outs')).toBe(0);
      const optedOut = await asServiceRole(sql, (tx) =>
        sqlOptOutStore({ executor: tx, blindIndex }).isOptedOut(
          a.tenantId,
          'sms',
          '+1 (415) 555-0100',
        ),
      );
      expect(optedOut).toBe(true);
      const { rows } = await asServiceRole(sql, (tx) =>
        tx.query<Record<string, unknown>>('SELECT * FROM queue.notification_opt_outs'),
      );
      expect(JSON.stringify(rows)).not.toContain('5550100');
      expect(JSON.stringify(rows)).not.toContain('pat@example.org');
    });
  });

  describe('jobs', () => {
    it('lets members schedule, only managers read, and nobody but workers change jobs', async () => {
      expect(await count(sql, patientClaims(a), 'jobs')).toBe(0);
      expect(await count(sql, receptionistClaims(a), 'jobs')).toBe(0);
      expect(await count(sql, adminClaims(a), 'jobs')).toBe(1);
      expect(await count(sql, adminClaims(b), 'jobs')).toBe(1);
      await expect(
        withClaims(sql, patientClaims(a), (tx) => insertJob(tx, b.tenantId, 'reminder:x')),
      ).rejects.toBeInstanceOf(SqlPermissionDeniedError);
      await expect(
        withClaims(sql, adminClaims(a), (tx) => tx.query("UPDATE queue.jobs SET status = 'done'")),
      ).rejects.toBeInstanceOf(SqlPermissionDeniedError);
    });
  });

  describe('realtime_topics', () => {
    it('lets members advance and read their own tenant topics only', async () => {
      const bump = (claims: JwtClaims, tenantId: string) =>
        withClaims(sql, claims, (tx) =>
          tx.query(
            `INSERT INTO queue.realtime_topics (tenant_id, topic, sequence) VALUES ($1, 'tenant', 1)
             ON CONFLICT (tenant_id, topic) DO UPDATE SET sequence = queue.realtime_topics.sequence + 1`,
            [tenantId],
          ),
        );
      await bump(patientClaims(a), a.tenantId);
      await bump(receptionistClaims(a), a.tenantId);
      await expect(bump(adminClaims(b), a.tenantId)).rejects.toBeInstanceOf(
        SqlPermissionDeniedError,
      );

      const seen = await withClaims(sql, adminClaims(a), (tx) =>
        tx.query<{ sequence: string }>('SELECT sequence::text FROM queue.realtime_topics'),
      );
      expect(seen.rows).toEqual([{ sequence: '2' }]);
      expect(await count(sql, adminClaims(b), 'realtime_topics')).toBe(0);
    });
  });
}
