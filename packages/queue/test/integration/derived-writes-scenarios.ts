import { randomBytes } from 'node:crypto';
import { createFakeClock, uuidv7 } from '@carequeue/core';
import { createFieldEncryptor, keyringFromConfig } from '@carequeue/core/crypto';
import { asServiceRole, SqlPermissionDeniedError, withClaims } from '@carequeue/core/sql';
import type { JwtClaims, SqlExecutor } from '@carequeue/core/sql';
import { expect, it } from 'vitest';
import { createNotificationOutbox } from '../../src/notifications/postgres/notification-outbox.js';
import { nextTopicSequence } from '../../src/realtime/postgres/event-bus.js';
import { seedAccessWorld } from './direct-access/access-world.js';
import { adminClaims, patientClaims, receptionistClaims } from './tenant-fixture.js';
import type { SeededTenant } from './tenant-fixture.js';

function ownerClaims(t: SeededTenant): JwtClaims {
  return {
    sub: uuidv7(),
    role: 'authenticated',
    app_metadata: { tenant_id: t.tenantId, roles: ['owner'] },
  };
}

function as<T>(
  executor: SqlExecutor,
  claims: JwtClaims,
  work: (tx: SqlExecutor) => Promise<T>,
): Promise<T> {
  return withClaims(executor, claims, work);
}

/** The queue line, entry and event the access world seeds for tenant `t`. */
async function lineOf(executor: SqlExecutor, t: SeededTenant) {
  const { rows } = await asServiceRole(executor, (tx) =>
    tx.query<{ queue_id: string; entry: Record<string, unknown> }>(
      `SELECT e.queue_id, to_jsonb(e) AS entry FROM queue.queue_entries e
       WHERE e.tenant_id = $1 AND e.clinic_id = $2`,
      [t.tenantId, t.clinicOne],
    ),
  );
  return rows[0]!;
}

async function lineVersion(executor: SqlExecutor, t: SeededTenant, queueId: string) {
  const { rows } = await asServiceRole(executor, (tx) =>
    tx.query<{ version: string }>(
      'SELECT version::text FROM queue.queue_lines WHERE tenant_id = $1 AND queue_id = $2',
      [t.tenantId, queueId],
    ),
  );
  return Number(rows[0]!.version);
}

function appendEvents(tx: SqlExecutor, t: SeededTenant, queueId: string, events: object[]) {
  return tx.query<{ version: string; type: string }>(
    'SELECT version::text, type FROM queue.append_queue_events($1, $2, $3::jsonb)',
    [t.tenantId, queueId, JSON.stringify(events)],
  );
}

async function patientRow(executor: SqlExecutor, t: SeededTenant, id: string) {
  const { rows } = await asServiceRole(executor, (tx) =>
    tx.query<{ given_name: string; erased_at: Date | null; version: number }>(
      'SELECT given_name, erased_at, version FROM queue.patients WHERE tenant_id = $1 AND id = $2',
      [t.tenantId, id],
    ),
  );
  return rows[0]!;
}

/**
 * The direct writes closed by queue migration 0014 and audit migration 0010, tried as the
 * database role `authenticated` with real claims, next to the service paths that must still work.
 */
export function derivedWritesScenarios(executor: () => SqlExecutor): void {
  it('no tenant member writes an outbox row directly, so no dedupe key is squatted', async () => {
    const sql = executor();
    const { a } = await seedAccessWorld(sql);
    const outbox = createNotificationOutbox({
      encryptor: createFieldEncryptor({
        keys: keyringFromConfig({
          current: 'k1',
          keys: { k1: randomBytes(32).toString('base64') },
        }),
      }),
      clock: createFakeClock(),
    });
    const notification = {
      tenantId: a.tenantId,
      clinicId: a.clinicOne,
      patientId: a.patientOne,
      kind: 'booking.reminder',
      channel: 'sms',
      to: '+14155550100',
      locales: ['en'],
      variables: { clinicName: 'Riverside Clinic', time: '9 March 2026, 10:00' },
      dedupeKey: `booking.reminder:${uuidv7()}:1773046800000`,
    } as const;
    for (const claims of [
      patientClaims(a),
      receptionistClaims(a),
      adminClaims(a),
      ownerClaims(a),
    ]) {
      await expect(
        as(sql, claims, (tx) =>
          tx.query(
            `INSERT INTO queue.notification_outbox (id, tenant_id, kind, channel, dedupe_key,
               payload_ciphertext, available_at, created_at, updated_at)
             VALUES ($1, $2, 'booking.reminder', 'sms', $3, 'forged', now(), now(), now())`,
            [uuidv7(), a.tenantId, notification.dedupeKey],
          ),
        ),
      ).rejects.toBeInstanceOf(SqlPermissionDeniedError);
      await expect(
        as(sql, claims, (tx) => outbox.enqueue(tx, notification)),
      ).rejects.toBeInstanceOf(SqlPermissionDeniedError);
    }
    // The workers' path: a job handler's transaction as service_role.
    expect(await asServiceRole(sql, (tx) => outbox.enqueue(tx, notification))).toBeTypeOf('string');
  });

  it('no tenant member sets a realtime topic sequence; staff advance it by one where they may broadcast', async () => {
    const sql = executor();
    const { a, b } = await seedAccessWorld(sql);
    const { queue_id: queueId } = await lineOf(sql, a);
    const queueTopic = `queue:${a.tenantId}:${queueId}`;
    for (const claims of [patientClaims(a), receptionistClaims(a), adminClaims(a)]) {
      await expect(
        as(sql, claims, (tx) =>
          tx.query(
            `INSERT INTO queue.realtime_topics (tenant_id, topic, sequence) VALUES ($1, $2, 1000)
             ON CONFLICT (tenant_id, topic) DO UPDATE SET sequence = 1000`,
            [a.tenantId, queueTopic],
          ),
        ),
      ).rejects.toBeInstanceOf(SqlPermissionDeniedError);
    }
    const refused: [string, JwtClaims, string, string][] = [
      ['a patient', patientClaims(a), a.tenantId, queueTopic],
      ['a patient, tenant topic', patientClaims(a), a.tenantId, `tenant:${a.tenantId}`],
      ['another tenant', adminClaims(b), a.tenantId, queueTopic],
      ['another tenant, own id', adminClaims(b), b.tenantId, queueTopic],
      ['a topic of no queue', receptionistClaims(a), a.tenantId, `queue:${a.tenantId}:${uuidv7()}`],
      ['not a CareQueue topic', adminClaims(a), a.tenantId, `clinic:${a.clinicOne}`],
    ];
    for (const [who, claims, tenantId, topic] of refused) {
      await expect(
        as(sql, claims, (tx) => nextTopicSequence(tx, tenantId, topic)),
        who,
      ).rejects.toBeInstanceOf(SqlPermissionDeniedError);
    }
    // The walk-in service's path: staff of the queue's clinic publish in their transaction.
    const taken = await as(sql, receptionistClaims(a), async (tx) => [
      await nextTopicSequence(tx, a.tenantId, queueTopic),
      await nextTopicSequence(tx, a.tenantId, `tenant:${a.tenantId}`),
      await nextTopicSequence(tx, a.tenantId, queueTopic),
    ]);
    expect(taken).toEqual([1, 1, 2]);
  });

  it('clinic staff cannot insert a queue event directly or append one that did not happen', async () => {
    const sql = executor();
    const { a, b } = await seedAccessWorld(sql);
    const { queue_id: queueId, entry } = await lineOf(sql, a);
    const at = '2026-03-02T09:05:00.000Z';
    const called = {
      clinic_id: a.clinicOne,
      entry_id: entry['id'],
      type: 'called',
      from_status: 'waiting',
      to_status: 'called',
      entry_version: 1,
      occurred_at: at,
    };
    await expect(
      as(sql, receptionistClaims(a), (tx) =>
        tx.query(
          `INSERT INTO queue.queue_events (tenant_id, queue_id, version, clinic_id, entry_id, type,
             from_status, to_status, entry_version, occurred_at)
           VALUES ($1, $2, 2, $3, $4, 'called', 'waiting', 'called', 1, $5)`,
          [a.tenantId, queueId, a.clinicOne, entry['id'], at],
        ),
      ),
    ).rejects.toBeInstanceOf(SqlPermissionDeniedError);
    await expect(
      as(sql, receptionistClaims(a), (tx) =>
        tx.query('UPDATE queue.queue_lines SET version = version + 1'),
      ),
    ).rejects.toBeInstanceOf(SqlPermissionDeniedError);
    // "Called" for an entry nobody called, which the queue job would text to the patient.
    await expect(
      as(sql, receptionistClaims(a), (tx) => appendEvents(tx, a, queueId, [called])),
    ).rejects.toBeInstanceOf(SqlPermissionDeniedError);
    expect(await lineVersion(sql, a, queueId)).toBe(1);

    // The walk-in service's path: the entry changes, then its event describes it.
    const appended = await as(sql, receptionistClaims(a), async (tx) => {
      const { rows } = await tx.query<{ changed: boolean }>(
        'SELECT queue.update_queue_entry($1::jsonb) AS changed',
        [
          JSON.stringify({
            ...entry,
            status: 'called',
            called_at: at,
            first_called_at: at,
            updated_at: at,
            version: 1,
          }),
        ],
      );
      expect(rows[0]?.changed).toBe(true);
      return (await appendEvents(tx, a, queueId, [called])).rows;
    });
    expect(appended).toEqual([{ version: '2', type: 'called' }]);

    const forged: [string, JwtClaims, object][] = [
      ['the same event again', receptionistClaims(a), called],
      [
        'a status the entry is not in',
        receptionistClaims(a),
        { ...called, to_status: 'completed', type: 'completed', from_status: 'in_service' },
      ],
      [
        'another time',
        receptionistClaims(a),
        { ...called, entry_version: 2, occurred_at: '2026-03-02T10:00:00Z' },
      ],
      ['another tenant', adminClaims(b), { ...called, entry_version: 2 }],
    ];
    for (const [what, claims, event] of forged) {
      await expect(
        as(sql, claims, (tx) => appendEvents(tx, a, queueId, [event])),
        what,
      ).rejects.toBeInstanceOf(SqlPermissionDeniedError);
    }
    expect(await lineVersion(sql, a, queueId)).toBe(2);
  });

  it('a patient changes only what the patient service lets them change on their own row', async () => {
    const sql = executor();
    const { a } = await seedAccessWorld(sql);
    const refused = [
      ['an erasure of their own', 'erased_at = now(), version = version + 1'],
      ['a backdated creation', "created_at = '2000-01-01T00:00:00Z', version = version + 1"],
      ['a new id', `id = '${uuidv7()}', version = version + 1`],
      ['a change without a new version', "given_name = 'Changed'"],
      ['a version of their choosing', "given_name = 'Changed', version = 42"],
    ];
    for (const [what, set] of refused) {
      await expect(
        as(sql, patientClaims(a), (tx) => tx.query(`UPDATE queue.patients SET ${set}`)),
        what,
      ).rejects.toBeInstanceOf(SqlPermissionDeniedError);
    }
    expect(await patientRow(sql, a, a.patientOne)).toMatchObject({
      given_name: 'Given',
      erased_at: null,
      version: 0,
    });

    // What the patient service writes for them: their details, the next version.
    await as(sql, patientClaims(a), (tx) =>
      tx.query(
        `UPDATE queue.patients SET given_name = 'Renamed', phone = '+14155550199',
           updated_at = now(), version = version + 1`,
      ),
    );
    expect(await patientRow(sql, a, a.patientOne)).toMatchObject({
      given_name: 'Renamed',
      version: 1,
    });

    // Erasure is an owner's; an erased row changes no more.
    const erase =
      'UPDATE queue.patients SET erased_at = now(), version = version + 1 WHERE id = $1';
    await expect(
      as(sql, adminClaims(a), (tx) => tx.query(erase, [a.patientTwo])),
    ).rejects.toBeInstanceOf(SqlPermissionDeniedError);
    await as(sql, ownerClaims(a), (tx) => tx.query(erase, [a.patientTwo]));
    await expect(
      as(sql, ownerClaims(a), (tx) =>
        tx.query(
          "UPDATE queue.patients SET erased_at = NULL, given_name = 'Back', version = version + 1 WHERE id = $1",
          [a.patientTwo],
        ),
      ),
    ).rejects.toBeInstanceOf(SqlPermissionDeniedError);
    expect((await patientRow(sql, a, a.patientTwo)).erased_at).not.toBeNull();
  });

  it('opt-outs are recorded by a patient for themselves and by staff as staff, about patients they reach', async () => {
    const sql = executor();
    const { a } = await seedAccessWorld(sql);
    const record = (claims: JwtClaims, patientId: string | null, source: string) =>
      as(sql, claims, (tx) =>
        tx.query(
          `INSERT INTO queue.notification_opt_outs (tenant_id, channel, address_index, patient_id,
             source, opted_out_at)
           VALUES ($1, 'sms', $2, $3, $4, now())`,
          [a.tenantId, `index-${uuidv7()}`, patientId, source],
        ),
      );
    const refused: [string, JwtClaims, string | null, string][] = [
      ["a carrier's STOP", patientClaims(a), a.patientOne, 'stop_keyword'],
      ["the provider's refusal", patientClaims(a), a.patientOne, 'provider'],
      ['staff, as a patient', patientClaims(a), a.patientOne, 'staff'],
      ['another patient', patientClaims(a), a.patientTwo, 'patient'],
      ['no patient, as a patient', patientClaims(a), null, 'patient'],
      ['the patient, as staff', receptionistClaims(a), a.patientOne, 'patient'],
      ['a patient of another clinic', receptionistClaims(a), a.patientTwo, 'staff'],
      ["a carrier's STOP, as staff", adminClaims(a), null, 'stop_keyword'],
    ];
    for (const [what, claims, patientId, source] of refused) {
      await expect(record(claims, patientId, source), what).rejects.toBeInstanceOf(
        SqlPermissionDeniedError,
      );
    }
    await record(patientClaims(a), a.patientOne, 'patient');
    await record(receptionistClaims(a), a.patientOne, 'staff');
    await record(receptionistClaims(a), null, 'staff');
    await record(adminClaims(a), a.patientTwo, 'staff');
  });

  it('audit.legal_holds is readable by the tenant owners and admins only', async () => {
    const sql = executor();
    const { a, b } = await seedAccessWorld(sql);
    const holds = async (claims: JwtClaims) =>
      (
        await as(sql, claims, (tx) =>
          tx.query<{ tenant_id: string }>('SELECT tenant_id::text FROM audit.legal_holds'),
        )
      ).rows;
    expect(await holds(patientClaims(a))).toEqual([]);
    expect(await holds(receptionistClaims(a))).toEqual([]);
    expect(await holds(adminClaims(a))).toEqual([{ tenant_id: a.tenantId }]);
    expect(await holds(ownerClaims(a))).toEqual([{ tenant_id: a.tenantId }]);
    expect(await holds(adminClaims(b))).toEqual([{ tenant_id: b.tenantId }]);
  });
}
