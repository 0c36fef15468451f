import { createPgliteExecutor, asServiceRole, type SqlExecutor } from '@carequeue/core/sql';
import { useTestPglite, waitUntil } from '@carequeue/test-harness';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sqlOptOutStore } from '../../src/notifications/postgres/opt-out-store.js';
import { NOTIFICATION_DEAD_LETTER_KIND } from '../../src/notifications/dispatch-outbox.js';
import {
  TWILIO_MESSAGES_URL,
  twilioError,
  twilioMessagesHandler,
} from './notification-twilio-fixture.js';
import type { TwilioRequest } from './notification-twilio-fixture.js';
import { calledSms, outboxFixture, ticketOf, type OutboxFixture } from './outbox-fixture.js';
import { seedTwoTenants, type SeededTenant } from './tenant-fixture.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

interface Row {
  status: string;
  provider_message_id: string | null;
  last_error_code: string | null;
  attempts: number;
}

async function rowsByTicket(sql: SqlExecutor): Promise<Map<string, Row>> {
  const { rows } = await asServiceRole(sql, (tx) =>
    tx.query<Row & { dedupe_key: string }>(
      'SELECT dedupe_key, status, provider_message_id, last_error_code, attempts FROM queue.notification_outbox',
    ),
  );
  return new Map(rows.map((row) => [row.dedupe_key.replace('queue.called:', ''), row]));
}

describe('outbox dispatcher on PGlite with Twilio (msw)', () => {
  const pglite = useTestPglite();
  let sql: SqlExecutor;
  let t: SeededTenant;
  let f: OutboxFixture;
  let accepted: { request: TwilioRequest; sid: string }[];

  beforeEach(async () => {
    sql = createPgliteExecutor(pglite.db);
    await sql.exec('TRUNCATE queue.notification_outbox, queue.notification_opt_outs');
    ({ a: t } = await seedTwoTenants(sql));
    f = outboxFixture(sql);
    accepted = [];
  });

  it('sends a committed notification once and records the sid, and never one that was rolled back', async () => {
    server.use(twilioMessagesHandler(accepted));
    // Workers enqueue (the job handlers run as service_role), in the transaction of the change.
    await asServiceRole(sql, (tx) => f.outbox.enqueue(tx, calledSms(t, 'A-1')));
    await expect(
      asServiceRole(sql, async (tx) => {
        await f.outbox.enqueue(tx, calledSms(t, 'A-2'));
        throw new Error('the queue change failed');
      }),
    ).rejects.toThrow('the queue change failed');

    const report = await f.dispatcher().dispatchOnce();
    const again = await f.dispatcher().dispatchOnce();

    expect(report).toEqual({ claimed: 1, sent: 1, skipped: 0, deadLettered: 0 });
    expect(again.claimed).toBe(0);
    expect(accepted.map((entry) => ticketOf(entry.request.body))).toEqual(['A-1']);
    expect(accepted[0]?.request.body).toBe(
      'Riverside Clinic: ticket A-1, it is your turn. Please go to Room 3. Reply STOP to opt out.',
    );
    const rows = await rowsByTicket(sql);
    expect(rows.get('A-1')).toMatchObject({
      status: 'sent',
      provider_message_id: accepted[0]?.sid,
    });
    expect(rows.has('A-2')).toBe(false);
  });

  it('waits for availableAt and reclaims a row whose dispatcher lease ran out', async () => {
    server.use(twilioMessagesHandler(accepted));
    await asServiceRole(sql, async (tx) => {
      await f.outbox.enqueue(tx, { ...calledSms(t, 'L-1'), availableAt: f.clock.now() + 60_000 });
      await f.outbox.enqueue(tx, calledSms(t, 'L-2'));
      // L-2 was claimed by a dispatcher that died before sending.
      await tx.query(
        `UPDATE queue.notification_outbox SET status = 'sending', locked_by = 'dead-worker',
           locked_until = $1, attempts = 1 WHERE dedupe_key = 'queue.called:L-2'`,
        [new Date(f.clock.now() + 60_000)],
      );
    });

    expect((await f.dispatcher().dispatchOnce()).claimed).toBe(0);
    await f.clock.advance(60_000);
    const report = await f.dispatcher().dispatchOnce();

    expect(report.sent).toBe(2);
    expect(accepted.map((entry) => ticketOf(entry.request.body)).sort()).toEqual(['L-1', 'L-2']);
    expect((await rowsByTicket(sql)).get('L-2')).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('honours a recorded opt-out without calling Twilio, and records the opt-out Twilio reports (21610)', async () => {
    const stopped = '+14155550123';
    server.use(
      twilioMessagesHandler(accepted, (request) =>
        request.to === stopped
          ? twilioError(21610, 400, 'Attempt to send to unsubscribed recipient')
          : undefined,
      ),
    );
    await asServiceRole(sql, async (tx) => {
      await sqlOptOutStore({ executor: tx, blindIndex: f.blindIndex }).record({
        tenantId: t.tenantId,
        channel: 'sms',
        address: '+1 415 555 0100',
        source: 'stop_keyword',
        at: f.clock.now(),
      });
      await f.outbox.enqueue(tx, calledSms(t, 'S-1'));
      await f.outbox.enqueue(tx, calledSms(t, 'S-2', stopped));
    });

    const first = await f.dispatcher().dispatchOnce();
    await asServiceRole(sql, (tx) => f.outbox.enqueue(tx, calledSms(t, 'S-3', stopped)));
    const second = await f.dispatcher().dispatchOnce();

    expect(first).toEqual({ claimed: 2, sent: 0, skipped: 2, deadLettered: 0 });
    expect(second).toEqual({ claimed: 1, sent: 0, skipped: 1, deadLettered: 0 });
    expect(accepted).toHaveLength(0);
    const rows = await rowsByTicket(sql);
    expect(rows.get('S-3')).toMatchObject({
      status: 'skipped',
      last_error_code: 'NOTIFICATION_RECIPIENT_OPTED_OUT',
    });
    const optOuts = await asServiceRole(sql, (tx) =>
      tx.query<{ source: string; patient_id: string }>(
        'SELECT source, patient_id FROM queue.notification_opt_outs ORDER BY source',
      ),
    );
    expect(optOuts.rows).toEqual([
      { source: 'provider', patient_id: t.patientOne },
      { source: 'stop_keyword', patient_id: null },
    ]);
  });

  it('opens the breaker on Twilio 5xx, parks every message as a dead letter, and delivers them on replay after recovery', async () => {
    let healthy = false;
    let failedCalls = 0;
    server.use(
      twilioMessagesHandler(accepted, () => {
        if (healthy) return undefined;
        failedCalls += 1;
        return HttpResponse.json(
          {
            code: 20500,
            message: 'Internal Server Error',
            more_info: 'https://www.twilio.com/docs/errors/20500',
            status: 500,
          },
          { status: 500 },
        );
      }),
    );
    const tickets = ['D-1', 'D-2', 'D-3', 'D-4', 'D-5', 'D-6'];
    await asServiceRole(sql, async (tx) => {
      for (const ticket of tickets) await f.outbox.enqueue(tx, calledSms(t, ticket));
    });
    const dispatcher = f.dispatcher();

    const outage = await dispatcher.dispatchOnce();

    expect(outage).toEqual({ claimed: 6, sent: 0, skipped: 0, deadLettered: 6 });
    expect(f.breaker.getState()).toBe('open');
    expect(failedCalls).toBe(3);
    const parked = await f.deadLetters.list({ kind: NOTIFICATION_DEAD_LETTER_KIND });
    expect(parked.letters).toHaveLength(6);
    expect(new Set(parked.letters.map((letter) => letter.errorCode))).toEqual(
      new Set(['NOTIFICATION_PROVIDER_UNAVAILABLE', 'CIRCUIT_OPEN']),
    );
    expect(JSON.stringify(parked.letters)).not.toContain('5550100');
    expect([...(await rowsByTicket(sql)).values()].every((row) => row.status === 'dead')).toBe(
      true,
    );

    healthy = true;
    await f.clock.advance(30_000);
    const replay = await dispatcher.replayDeadLetters();
    const second = await dispatcher.replayDeadLetters();

    expect(replay.replayed).toBe(6);
    expect(second.replayed).toBe(0);
    expect(f.breaker.getState()).toBe('closed');
    expect(accepted.map((entry) => ticketOf(entry.request.body)).sort()).toEqual(tickets);
    const rows = await rowsByTicket(sql);
    for (const ticket of tickets) {
      const sid = accepted.find((entry) => ticketOf(entry.request.body) === ticket)?.sid;
      expect(rows.get(ticket)).toMatchObject({ status: 'sent', provider_message_id: sid });
    }
  });

  it('parks an invalid number (21211) as a dead letter without opening the breaker', async () => {
    server.use(
      http.post(TWILIO_MESSAGES_URL, () =>
        twilioError(21211, 400, "The 'To' number +1415555 is not a valid phone number."),
      ),
    );
    await asServiceRole(sql, async (tx) => {
      for (const ticket of ['I-1', 'I-2', 'I-3', 'I-4']) {
        await f.outbox.enqueue(tx, calledSms(t, ticket, '+1415555'));
      }
    });

    const report = await f.dispatcher().dispatchOnce();
    const failedReplay = await f.dispatcher().replayDeadLetters({ maxLetters: 1 });

    expect(report.deadLettered).toBe(4);
    expect(f.breaker.getState()).toBe('closed');
    expect(failedReplay).toMatchObject({ replayed: 0, failed: 1 });
    const rows = await rowsByTicket(sql);
    expect(rows.get('I-1')).toMatchObject({
      status: 'dead',
      last_error_code: 'NOTIFICATION_RECIPIENT_INVALID',
    });
  });

  it('keeps polling until stopped, and leaves rows of a channel without a notifier pending', async () => {
    server.use(twilioMessagesHandler(accepted));
    await asServiceRole(sql, async (tx) => {
      await f.outbox.enqueue(tx, calledSms(t, 'P-1'));
      await f.outbox.enqueue(tx, {
        ...calledSms(t, 'P-2', 'pat@example.org'),
        channel: 'email',
        dedupeKey: 'queue.called:P-2',
      });
    });
    const dispatcher = f.dispatcher({ pollIntervalMs: 500 });

    dispatcher.start();
    dispatcher.start();
    // It polls on a background timer: a started dispatcher alone does not hold a process open.
    expect(f.clock.pendingTimers({ background: false })).toBe(0);
    expect(f.clock.pendingTimers({ background: true })).toBe(1);
    // Each check moves the fake clock one poll on and gives the database and the HTTP stand-in
    // real time to answer, so the wait depends on neither how many hops they take nor how fast.
    const pollUntilAccepted = (count: number, description: string) =>
      waitUntil(
        async () => {
          await f.clock.advance(500);
          return accepted.length >= count;
        },
        { description },
      );
    await pollUntilAccepted(1, 'the first poll to send P-1');
    await asServiceRole(sql, (tx) => f.outbox.enqueue(tx, calledSms(t, 'P-3')));
    await pollUntilAccepted(2, 'a later poll to send P-3');
    await dispatcher.stop();
    expect(f.clock.pendingTimers()).toBe(0);

    expect(accepted.map((entry) => ticketOf(entry.request.body))).toEqual(['P-1', 'P-3']);
    expect((await rowsByTicket(sql)).get('P-2')?.status).toBe('pending');
  });
});
