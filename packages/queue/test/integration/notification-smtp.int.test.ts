import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { freePort } from '@carequeue/test-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotificationDeliveryError } from '../../src/notifications/notification-delivery-error.js';
import { smtpEmailNotifier } from '../../src/notifications/smtp/email-notifier.js';

interface ReceivedMail {
  readonly from: string;
  readonly to: string[];
  readonly data: string;
}

const received: ReceivedMail[] = [];
// Recipients the sink refuses, with the reply code it refuses them with.
const refusals = new Map<string, number>([
  ['gone@example.org', 550],
  ['busy@example.org', 451],
  ['policy@example.org', 554],
]);

const sink = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onRcptTo(address, _session, callback) {
    const code = refusals.get(address.address);
    if (code === undefined) {
      callback();
      return;
    }
    const error = new Error(`Recipient ${address.address} refused`) as Error & {
      responseCode: number;
    };
    error.responseCode = code;
    callback(error);
  },
  onData(stream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      received.push({
        from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
        to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
        data: Buffer.concat(chunks).toString('utf8'),
      });
      callback();
    });
  },
});
let port = 0;

beforeAll(async () => {
  port = await freePort();
  await new Promise<void>((resolve) => {
    sink.listen(port, '127.0.0.1', () => resolve());
  });
});
afterAll(async () => {
  await new Promise<void>((resolve) => sink.close(() => resolve()));
});

function notifier(targetPort = port) {
  return smtpEmailNotifier({
    transport: nodemailer.createTransport({
      host: '127.0.0.1',
      port: targetPort,
      secure: false,
      ignoreTLS: true,
      connectionTimeout: 5000,
    }),
    from: 'Riverside Clinic <no-reply@riverside.example>',
  });
}

async function failureOf(promise: Promise<unknown>): Promise<NotificationDeliveryError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof NotificationDeliveryError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('smtpEmailNotifier against a local SMTP sink', () => {
  it('delivers a plain-text message with the notification id as Message-ID', async () => {
    const receipt = await notifier().send({
      id: 'notification-1',
      channel: 'email',
      to: 'pat@example.org',
      subject: 'Riverside Clinic: booking confirmed',
      body: 'Riverside Clinic: your appointment on 2 March 2026, 09:30 is confirmed.',
    });

    expect(receipt).toEqual({
      provider: 'smtp',
      providerMessageId: '<notification-1@riverside.example>',
    });
    const mail = received.at(-1);
    expect(mail?.from).toBe('no-reply@riverside.example');
    expect(mail?.to).toEqual(['pat@example.org']);
    expect(mail?.data).toContain('Subject: Riverside Clinic: booking confirmed');
    expect(mail?.data).toContain('Message-ID: <notification-1@riverside.example>');
    expect(mail?.data).toContain('your appointment on 2 March 2026, 09:30 is confirmed.');
  });

  it('maps a 550 refusal to a permanent invalid-recipient error without the address', async () => {
    const error = await failureOf(
      notifier().send({ id: 'n-2', channel: 'email', to: 'gone@example.org', body: 'x' }),
    );

    expect(error.code).toBe('NOTIFICATION_RECIPIENT_INVALID');
    expect(error.providerCode).toBe('550');
    expect(error.transient).toBe(false);
    expect(error.message).not.toContain('gone@example.org');
    expect(error.cause).toBeUndefined();
  });

  it('maps a 4xx refusal to a transient error and another 5xx to a rejection', async () => {
    const busy = await failureOf(
      notifier().send({ id: 'n-3', channel: 'email', to: 'busy@example.org', body: 'x' }),
    );
    expect(busy.code).toBe('NOTIFICATION_PROVIDER_UNAVAILABLE');
    expect(busy.transient).toBe(true);

    const policy = await failureOf(
      notifier().send({ id: 'n-4', channel: 'email', to: 'policy@example.org', body: 'x' }),
    );
    expect(policy.code).toBe('NOTIFICATION_PROVIDER_REJECTED');
  });

  it('maps a refused connection to the unreachable error', async () => {
    // A port that was free a moment ago and has no listener.
    const closedPort = await freePort();

    const error = await failureOf(
      notifier(closedPort).send({ id: 'n-5', channel: 'email', to: 'pat@example.org', body: 'x' }),
    );

    expect(error.code).toBe('NOTIFICATION_PROVIDER_UNREACHABLE');
  });

  it('rejects with the abort reason when the signal is already aborted', async () => {
    const controller = new AbortController();
    const reason = new Error('shutting down');
    controller.abort(reason);

    await expect(
      notifier().send(
        { id: 'n-6', channel: 'email', to: 'pat@example.org', body: 'x' },
        { signal: controller.signal },
      ),
    ).rejects.toBe(reason);
  });

  it('reports a message the transport lists as rejected as an invalid recipient', async () => {
    const email = smtpEmailNotifier({
      transport: {
        sendMail: () => Promise.resolve({ messageId: '<x@y>', rejected: ['pat@example.org'] }),
      },
      from: 'no-reply@riverside.example',
    });

    const error = await failureOf(
      email.send({ id: 'n-7', channel: 'email', to: 'pat@example.org', body: 'x' }),
    );

    expect(error.code).toBe('NOTIFICATION_RECIPIENT_INVALID');
  });
});
