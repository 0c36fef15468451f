import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { httpWaitTimeModel } from './http-wait-time-model.js';
import type { WaitTimeFeatures } from './wait-time-model.js';
import { WaitTimeModelError } from './wait-time-model-error.js';

const BASE_URL = 'https://ml.test/api';
const ENDPOINT = `${BASE_URL}/v1/wait-time`;
const server = setupServer();

beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const features: WaitTimeFeatures = {
  clinicId: 'clinic-1',
  serviceType: 'consultation',
  position: 2,
  activeServers: 1,
  ahead: [{ serviceType: 'vaccination' }],
  inService: [{ serviceType: 'follow-up', elapsedMs: 60_000 }],
};

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('httpWaitTimeModel', () => {
  it('returns the prediction in milliseconds when the service answers with minutes', async () => {
    server.use(http.post(ENDPOINT, () => HttpResponse.json({ p50Minutes: 4, p90Minutes: 9 })));
    const model = httpWaitTimeModel({ baseUrl: BASE_URL });

    await expect(model.predict(features)).resolves.toEqual({ p50Ms: 240_000, p90Ms: 540_000 });
  });

  it('posts only the feature fields with the configured headers when predicting', async () => {
    let body: unknown;
    let authorization: string | null = null;
    server.use(
      http.post(ENDPOINT, async ({ request }) => {
        body = await request.json();
        authorization = request.headers.get('authorization');
        return HttpResponse.json({ p50Minutes: 1, p90Minutes: 2 });
      }),
    );
    const model = httpWaitTimeModel({
      baseUrl: `${BASE_URL}/`,
      headers: { authorization: 'Bearer t' },
    });
    const withExtra = { ...features, patientName: 'not sent' } as WaitTimeFeatures;

    await model.predict(withExtra);

    expect(body).toEqual(features);
    expect(authorization).toBe('Bearer t');
  });

  it('rejects with WAIT_TIME_MODEL_BAD_STATUS when the service answers 503', async () => {
    server.use(http.post(ENDPOINT, () => new HttpResponse('busy', { status: 503 })));
    const error = await failureOf(httpWaitTimeModel({ baseUrl: BASE_URL }).predict(features));

    expect(error).toBeInstanceOf(WaitTimeModelError);
    expect(error).toMatchObject({
      code: 'WAIT_TIME_MODEL_BAD_STATUS',
      upstreamStatus: 503,
      transient: true,
    });
  });

  it('marks the failure as not transient when the service answers 400', async () => {
    server.use(http.post(ENDPOINT, () => new HttpResponse(null, { status: 400 })));
    const error = await failureOf(httpWaitTimeModel({ baseUrl: BASE_URL }).predict(features));

    expect(error).toMatchObject({ code: 'WAIT_TIME_MODEL_BAD_STATUS', transient: false });
  });

  it('rejects with WAIT_TIME_MODEL_UNREACHABLE when the network fails', async () => {
    server.use(http.post(ENDPOINT, () => HttpResponse.error()));
    const error = await failureOf(httpWaitTimeModel({ baseUrl: BASE_URL }).predict(features));

    expect(error).toMatchObject({
      code: 'WAIT_TIME_MODEL_UNREACHABLE',
      service: 'wait-time-model',
    });
  });

  it.each([
    [
      'malformed JSON',
      () =>
        new HttpResponse('{"p50Minutes": NaN}', {
          headers: { 'content-type': 'application/json' },
        }),
    ],
    ['a missing field', () => HttpResponse.json({ p50Minutes: 3 })],
    ['a string value', () => HttpResponse.json({ p50Minutes: '3', p90Minutes: 6 })],
  ])('rejects with WAIT_TIME_MODEL_INVALID_RESPONSE when the body has %s', async (_, respond) => {
    server.use(http.post(ENDPOINT, respond));
    const error = await failureOf(httpWaitTimeModel({ baseUrl: BASE_URL }).predict(features));

    expect(error).toMatchObject({ code: 'WAIT_TIME_MODEL_INVALID_RESPONSE' });
  });

  it('rejects with the abort reason when the signal aborts the call', async () => {
    const reason = new Error('stopped');
    const controller = new AbortController();
    const model = httpWaitTimeModel({
      baseUrl: BASE_URL,
      fetch: () => {
        controller.abort(reason);
        return Promise.reject(reason);
      },
    });

    await expect(model.predict(features, { signal: controller.signal })).rejects.toBe(reason);
  });

  it('rejects with the abort reason when the signal aborts while the body is read', async () => {
    const reason = new Error('stopped');
    const controller = new AbortController();
    const model = httpWaitTimeModel({
      baseUrl: BASE_URL,
      fetch: () => {
        const response = new Response('{"p50');
        controller.abort(reason);
        return Promise.resolve(response);
      },
    });

    await expect(model.predict(features, { signal: controller.signal })).rejects.toBe(reason);
  });
});
