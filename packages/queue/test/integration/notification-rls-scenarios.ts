import { randomBytes } from 'node:crypto';
import { createFakeClock, uuidv7 } from '@carequeue/core';
import { createBlindIndex, createFieldEncryptor, keyringFromConfig } from '@carequeue/core/crypto';
import { asServiceRole, SqlPermissionDeniedError, withClaims } from '@carequeue/core/sql';
import type { JwtClaims, SqlExecutor } from '@carequeue/core/sql';
import { beforeAll, describe, expect, it } from 'vitest';
import { sqlOptOutStore } from '../../src/notifications/postgres/opt-out-store.js';
import type { NewNotification } from '../../src/notifications/ports/notification-outbox.js';
import { createNotificationOutbox } from '../../src/notifications/postgres/notification-outbox.js';
import {
  adminClaims,
  patientClaims,
  receptionistClaims,
  seedTwoTenants,
} from './tenant-fixture.js';
import type { SeededTenant } from './tenant-fixture.js';

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

async function scheduleJob(
  tx: SqlExecutor,
  tenantId: string,
  uniqueKey: string,
  payload: Record<string, unknown>,
): Promise<boolean> {
  const { rows } = await tx.query<{ inserted: boolean }>(
    `SELECT queue.schedule_job($1, $2, 'booking.reminder', $3, $4, $5, 5, $5) AS inserted`,
    [uuidv7(), tenantId, uniqueKey, JSON.stringify(payload), new Date('2026-03-02T09:00:00Z')],
  );
  return rows[0]?.inserted === true;
}

async function appointmentOf(sql: SqlExecutor, t: SeededTenant, patientId: string) {
  const { rows } = await asServiceRole(sql, (tx) =>
    tx.query<{ id: string; clinic_id: string }>(
      'SELECT id, clinic_id FROM queue.appointments WHERE tenant_id = $1 AND patient_id = $2',
      [t.tenantId, patientId],
    ),
  );
  return rows[0]!;
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
    // Workers enqueue: the job handlers run as service_role.
    await asServiceRole(sql, (tx) => outbox.enqueue(tx, notification(a, a.clinicOne, 'one')));
    await asServiceRole(sql, (tx) => outbox.enqueue(tx, notification(a, a.clinicTwo, 'two')));
    await asServiceRole(sql, (tx) => outbox.enqueue(tx, notification(b, b.clinicOne, 'one')));
    const own = await appointmentOf(sql, a, a.patientOne);
    await withClaims(sql, patientClaims(a), (tx) =>
      scheduleJob(tx, a.tenantId, `booking.reminder:${own.id}`, { appointmentId: own.id }),
    );
    await withClaims(sql, adminClaims(b), (tx) =>
      scheduleJob(tx, b.tenantId, 'reminder:b', { clinicId: b.clinicOne }),
    );
  });

  describe('notification_outbox', () => {
    it('lets no patient read, and staff read only their tenant and clinics', async () => {
      expect(await count(sql, patientClaims(a), 'notification_outbox')).toBe(0);
      expect(await count(sql, adminClaims(a), 'notification_outbox')).toBe(2);
      expect(await count(sql, receptionistClaims(a), 'notification_outbox')).toBe(1);
      expect(await count(sql, adminClaims(b), 'notification_outbox')).toBe(1);
      const all = await asServiceRole(sql, (tx) =>
        tx.query<{ n: number }>('SELECT count(*)::int AS n FROM queue.notification_outbox'),
      );
      expect(all.rows[0]?.n).toBe(3);
    });

    it('refuses any row and any update by a request role', async () => {
      for (const [claims, t] of [
        [adminClaims(a), b],
        [adminClaims(a), a],
        [patientClaims(a), a],
      ] as const) {
        await expect(
          withClaims(sql, claims, (tx) => outbox.enqueue(tx, notification(t, t.clinicOne, 'x'))),
        ).rejects.toBeInstanceOf(SqlPermissionDeniedError);
      }
      await expect(
        withClaims(sql, adminClaims(a), (tx) =>
          tx.query("UPDATE queue.notification_outbox SET status = 'sent'"),
        ),
      ).rejects.toBeInstanceOf(SqlPermissionDeniedError);
    });

    it('drops a second notification with the same dedupe key', async () => {
      const again = await asServiceRole(sql, (tx) =>
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
      const own = await appointmentOf(sql, a, a.patientOne);
      await expect(
        withClaims(sql, patientClaims(a), (tx) =>
          scheduleJob(tx, b.tenantId, `booking.reminder:${own.id}`, { appointmentId: own.id }),
        ),
      ).rejects.toBeInstanceOf(SqlPermissionDeniedError);
      await expect(
        withClaims(sql, adminClaims(a), (tx) => tx.query("UPDATE queue.jobs SET status = 'done'")),
      ).rejects.toBeInstanceOf(SqlPermissionDeniedError);
    });

    it('a tenant member cannot schedule a job about an appointment they cannot reach', async () => {
      const own = await appointmentOf(sql, a, a.patientOne);
      const theirs = await appointmentOf(sql, a, a.patientTwo);
      const attempts: [string, string, Record<string, unknown>][] = [
        // A confirmation sent about another patient's appointment.
        ['another patient', `booking.confirmed:${theirs.id}`, { appointmentId: theirs.id }],
        // The unique key of another appointment's reminder, taken so the real one never runs.
        ['a squatted key', `booking.reminder:${theirs.id}`, { appointmentId: own.id }],
        // A clinic sweep, which is staff business.
        ['a clinic job', `booking.no-show:${own.id}`, { clinicId: own.clinic_id }],
        [
          'another clinic',
          `booking.reminder:${own.id}`,
          { appointmentId: own.id, clinicId: b.clinicOne },
        ],
      ];
      for (const [what, uniqueKey, payload] of attempts) {
        await expect(
          withClaims(sql, patientClaims(a), (tx) =>
            scheduleJob(tx, a.tenantId, uniqueKey, payload),
          ),
          what,
        ).rejects.toBeInstanceOf(SqlPermissionDeniedError);
      }
      await expect(
        withClaims(sql, receptionistClaims(a), (tx) =>
          scheduleJob(tx, a.tenantId, `queue.notify:${uuidv7()}:1`, { clinicId: a.clinicTwo }),
        ),
      ).rejects.toBeInstanceOf(SqlPermissionDeniedError);
      await expect(
        withClaims(sql, patientClaims(a), (tx) =>
          tx.query(
            `INSERT INTO queue.jobs (id, tenant_id, kind, unique_key, payload, run_at, max_attempts, created_at, updated_at)
             VALUES ($1, $2, 'booking.reminder', 'forged', '{}', $3, 5, $3, $3)`,
            [uuidv7(), a.tenantId, new Date('2026-03-02T09:00:00Z')],
          ),
        ),
      ).rejects.toBeInstanceOf(SqlPermissionDeniedError);
      // What a patient may schedule: a job about their own appointment, once per key.
      const key = `booking.cancelled:${own.id}`;
      const scheduled = await withClaims(sql, patientClaims(a), async (tx) => [
        await scheduleJob(tx, a.tenantId, key, { appointmentId: own.id, clinicId: own.clinic_id }),
        await scheduleJob(tx, a.tenantId, key, { appointmentId: own.id }),
      ]);
      expect(scheduled).toEqual([true, false]);
      expect(await count(sql, adminClaims(a), 'jobs')).toBe(2);
    });
  });

  describe('realtime_topics', () => {
    it('lets staff advance and members read their own tenant topics only', async () => {
      const bump = (claims: JwtClaims, tenantId: string) =>
        withClaims(sql, claims, (tx) =>
          tx.query('SELECT queue.next_topic_sequence($1, $2)', [tenantId, `tenant:${tenantId}`]),
        );
      await bump(receptionistClaims(a), a.tenantId);
      await bump(adminClaims(a), a.tenantId);
      await expect(bump(patientClaims(a), a.tenantId)).rejects.toBeInstanceOf(
        SqlPermissionDeniedError,
      );
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
