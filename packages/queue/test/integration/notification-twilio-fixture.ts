import { HttpResponse, http, type HttpHandler } from 'msw';

/** The test account; Twilio sids are a two-letter prefix and 32 hex digits. */
export const TWILIO_ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
export const TWILIO_AUTH_TOKEN = 'test-auth-token-0123456789abcdef';
export const TWILIO_BASE_URL = 'https://api.twilio.com';
export const TWILIO_MESSAGES_URL = `${TWILIO_BASE_URL}/2010-04-01/Accounts/${TWILIO_ACCOUNT_SID}/Messages.json`;

/** One request the stand-in received, parsed from its form body. */
export interface TwilioRequest {
  readonly to: string;
  readonly from: string | null;
  readonly messagingServiceSid: string | null;
  readonly body: string;
  readonly authorization: string | null;
  readonly contentType: string | null;
}

let sidCounter = 0;

/** A message sid in Twilio's format. */
export function nextMessageSid(): string {
  sidCounter += 1;
  return `SM${sidCounter.toString(16).padStart(32, '0')}`;
}

/** The 201 body Twilio returns for a created message (fields as in its API reference). */
export function twilioMessageResource(
  request: TwilioRequest,
  sid: string,
): Record<string, unknown> {
  return {
    account_sid: TWILIO_ACCOUNT_SID,
    api_version: '2010-04-01',
    body: request.body,
    date_created: 'Thu, 24 Aug 2026 05:01:45 +0000',
    date_sent: null,
    date_updated: 'Thu, 24 Aug 2026 05:01:45 +0000',
    direction: 'outbound-api',
    error_code: null,
    error_message: null,
    from: request.from,
    messaging_service_sid: request.messagingServiceSid,
    num_media: '0',
    num_segments: '1',
    price: null,
    price_unit: null,
    sid,
    status: 'queued',
    subresource_uris: {
      media: `/2010-04-01/Accounts/${TWILIO_ACCOUNT_SID}/Messages/${sid}/Media.json`,
    },
    to: request.to,
    uri: `/2010-04-01/Accounts/${TWILIO_ACCOUNT_SID}/Messages/${sid}.json`,
  };
}

/** Twilio's error body: its numeric code, a message quoting the input, more_info and status. */
export function twilioError(code: number, status: number, message: string): Response {
  return HttpResponse.json(
    { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
    { status },
  );
}

export async function parseTwilioRequest(request: Request): Promise<TwilioRequest> {
  const form = new URLSearchParams(await request.text());
  return {
    to: form.get('To') ?? '',
    from: form.get('From'),
    messagingServiceSid: form.get('MessagingServiceSid'),
    body: form.get('Body') ?? '',
    authorization: request.headers.get('authorization'),
    contentType: request.headers.get('content-type'),
  };
}

/**
 * A Twilio Messages endpoint: `answer` decides per request (return undefined to accept).
 * Accepted requests are pushed to `accepted` with the sid handed out.
 */
export function twilioMessagesHandler(
  accepted: { request: TwilioRequest; sid: string }[],
  answer: (request: TwilioRequest) => Response | undefined = () => undefined,
): HttpHandler {
  return http.post(TWILIO_MESSAGES_URL, async ({ request }) => {
    const parsed = await parseTwilioRequest(request);
    const failure = answer(parsed);
    if (failure !== undefined) return failure;
    const sid = nextMessageSid();
    accepted.push({ request: parsed, sid });
    return HttpResponse.json(twilioMessageResource(parsed, sid), { status: 201 });
  });
}
