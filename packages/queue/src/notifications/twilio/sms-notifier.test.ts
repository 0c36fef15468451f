import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  TWILIO_ACCOUNT_SID,
  TWILIO_AUTH_TOKEN,
  TWILIO_MESSAGES_URL,
  twilioError,
  twilioMessagesHandler,
} from '../../../test/integration/notification-twilio-fixture.js';
import type { TwilioRequest } from '../../../test/integration/notification-twilio-fixture.js';
import { NotificationDeliveryError } from '../notification-delivery-error.js';
import type { OutgoingMessage } from '../notifier.js';
import { twilioSmsNotifier } from './sms-notifier.js';
import { QueueConfigError } from '../../config/queue-config-error.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const PHONE = '+14155550100';
const message: OutgoingMessage = {
  id: 'n-1',
  channel: 'sms',
  to: PHONE,
  body: 'Riverside: ticket A-017, it is your turn. Please go to Room 3.',
};

function notifier() {
  return twilioSmsNotifier({
    accountSid: TWILIO_ACCOUNT_SID,
    authToken: TWILIO_AUTH_TOKEN,
    from: '+14155550199',
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

describe('twilioSmsNotifier', () => {
  it('posts a form-encoded message with basic auth and returns the sid when Twilio accepts it', async () => {
    const accepted: { request: TwilioRequest; sid: string }[] = [];
    server.use(twilioMessagesHandler(accepted));

    const receipt = await notifier().send(message);

    expect(accepted).toHaveLength(1);
    const [first] = accepted;
    expect(receipt).toEqual({ provider: 'twilio', providerMessageId: first?.sid });
    expect(first?.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(first?.request).toMatchObject({
      to: PHONE,
      from: '+14155550199',
      messagingServiceSid: null,
      body: message.body,
      contentType: 'application/x-www-form-urlencoded',
    });
    const expectedAuth = `Basic ${Buffer.from(`${TWILIO_ACCOUNT_SID}:${TWILIO_AUTH_TOKEN}`).toString('base64')}`;
    expect(first?.request.authorization).toBe(expectedAuth);
  });

  it('sends MessagingServiceSid and authenticates with the API key when configured so', async () => {
    const accepted: { request: TwilioRequest; sid: string }[] = [];
    server.use(twilioMessagesHandler(accepted));
    const sms = twilioSmsNotifier({
      accountSid: TWILIO_ACCOUNT_SID,
      apiKeySid: 'SK0123456789abcdef0123456789abcdef',
      authToken: 'api-key-secret',
      messagingServiceSid: 'MG0123456789abcdef0123456789abcdef',
      statusCallback: 'https://clinic.example/twilio/status',
    });

    await sms.send(message);

    expect(accepted[0]?.request.messagingServiceSid).toBe('MG0123456789abcdef0123456789abcdef');
    expect(accepted[0]?.request.from).toBeNull();
    expect(accepted[0]?.request.authorization).toBe(
      `Basic ${Buffer.from('SK0123456789abcdef0123456789abcdef:api-key-secret').toString('base64')}`,
    );
  });

  it('rejects a configuration with neither or both senders with a QueueConfigError (was a raw TypeError)', () => {
    expect(() =>
      twilioSmsNotifier({ accountSid: TWILIO_ACCOUNT_SID, authToken: TWILIO_AUTH_TOKEN }),
    ).toThrow(QueueConfigError);
    expect(() =>
      twilioSmsNotifier({
        accountSid: TWILIO_ACCOUNT_SID,
        authToken: TWILIO_AUTH_TOKEN,
        from: '+1',
        messagingServiceSid: 'MG1',
      }),
    ).toThrow(QueueConfigError);
  });

  it('maps 21211 to a permanent invalid-recipient error without quoting the number', async () => {
    server.use(
      http.post(TWILIO_MESSAGES_URL, () =>
        twilioError(21211, 400, `The 'To' number ${PHONE} is not a valid phone number.`),
      ),
    );

    const error = await failureOf(notifier().send(message));

    expect(error.code).toBe('NOTIFICATION_RECIPIENT_INVALID');
    expect(error.providerCode).toBe('21211');
    expect(error.upstreamStatus).toBe(400);
    expect(error.transient).toBe(false);
    expect(error.message).not.toContain(PHONE);
    expect(JSON.stringify(error)).not.toContain(PHONE);
  });

  it('maps 21610 to the opted-out error', async () => {
    server.use(
      http.post(TWILIO_MESSAGES_URL, () =>
        twilioError(21610, 400, 'Attempt to send to unsubscribed recipient'),
      ),
    );

    const error = await failureOf(notifier().send(message));

    expect(error.code).toBe('NOTIFICATION_RECIPIENT_OPTED_OUT');
    expect(error.transient).toBe(false);
  });

  it('maps 20429 and 5xx to a transient unavailable error and keeps Retry-After', async () => {
    server.use(
      http.post(TWILIO_MESSAGES_URL, () =>
        HttpResponse.json(
          {
            code: 20429,
            message: 'Too Many Requests',
            more_info: 'https://www.twilio.com/docs/errors/20429',
            status: 429,
          },
          { status: 429, headers: { 'retry-after': '2' } },
        ),
      ),
    );
    const limited = await failureOf(notifier().send(message));
    expect(limited.code).toBe('NOTIFICATION_PROVIDER_UNAVAILABLE');
    expect(limited.transient).toBe(true);
    expect(limited.retryAfterMs).toBe(2000);

    server.use(
      http.post(TWILIO_MESSAGES_URL, () => new HttpResponse('upstream failure', { status: 503 })),
    );
    const failing = await failureOf(notifier().send(message));
    expect(failing.code).toBe('NOTIFICATION_PROVIDER_UNAVAILABLE');
    expect(failing.upstreamStatus).toBe(503);
    expect(failing.providerCode).toBeUndefined();
  });

  it('maps authentication and other 4xx answers to a permanent rejection', async () => {
    server.use(http.post(TWILIO_MESSAGES_URL, () => twilioError(20003, 401, 'Authenticate')));

    const error = await failureOf(notifier().send(message));

    expect(error.code).toBe('NOTIFICATION_PROVIDER_REJECTED');
    expect(error.providerCode).toBe('20003');
  });

  it('maps a network failure to the unreachable error', async () => {
    server.use(http.post(TWILIO_MESSAGES_URL, () => HttpResponse.error()));

    const error = await failureOf(notifier().send(message));

    expect(error.code).toBe('NOTIFICATION_PROVIDER_UNREACHABLE');
    expect(error.transient).toBe(true);
  });

  it('treats an accepted answer without a sid as a rejection', async () => {
    server.use(
      http.post(TWILIO_MESSAGES_URL, () =>
        HttpResponse.json({ status: 'queued' }, { status: 201 }),
      ),
    );

    const error = await failureOf(notifier().send(message));

    expect(error.code).toBe('NOTIFICATION_PROVIDER_REJECTED');
  });

  it('rejects with the abort reason when the caller aborts', async () => {
    server.use(twilioMessagesHandler([]));
    const controller = new AbortController();
    const reason = new Error('shutting down');
    controller.abort(reason);

    await expect(notifier().send(message, { signal: controller.signal })).rejects.toBe(reason);
  });

  it('refuses send(null) or a message without a body with a ValidationError naming message, before any request (raw TypeError)', async () => {
    const accepted: { request: TwilioRequest; sid: string }[] = [];
    server.use(twilioMessagesHandler(accepted));
    for (const bad of [null, { ...message, body: undefined }, { ...message, to: `${PHONE}\n` }]) {
      await expect(notifier().send(bad as never)).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        issues: [{ path: expect.stringMatching(/^message/) as unknown }],
      });
    }
    expect(accepted).toEqual([]);
  });
});
