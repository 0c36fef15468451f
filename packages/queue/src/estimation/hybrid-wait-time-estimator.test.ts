import { createFakeClock, type FakeClock } from '@carequeue/core';
import { createCircuitBreaker, type CircuitBreaker } from '@carequeue/resilience';
import { delay, HttpResponse, http, type JsonBodyType } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { EstimateRecorder } from './estimate-recorder.js';
import { httpWaitTimeModel } from './http-wait-time-model.js';
import {
  createHybridWaitTimeEstimator,
  type HybridEstimateRequest,
  type HybridWaitTimeEstimatorOptions,
} from './hybrid-wait-time-estimator.js';
import { memoryEstimateRecorder } from './memory/estimate-recorder.js';
import type { WaitEstimate, WaitTimeEstimator } from './wait-time-estimator.js';
import { QueueConfigError } from '../config/queue-config-error.js';

const BASE_URL = 'https://ml.test';
const ENDPOINT = `${BASE_URL}/v1/wait-time`;
const BUDGET_MS = 50;
const MINUTE = 60_000;
const RULE: WaitEstimate = { p50Ms: 10 * MINUTE, p90Ms: 20 * MINUTE };
const server = setupServer();

beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const rule: WaitTimeEstimator = { estimate: () => RULE };
const request: HybridEstimateRequest = {
  entryId: 'entry-1',
  clinicId: 'clinic-1',
  serviceType: 'consultation',
  snapshot: { activeServers: 1, ahead: [{ serviceType: 'vaccination' }], inService: [] },
};

let clock: FakeClock;
let breaker: CircuitBreaker;
let requests: number;

beforeEach(() => {
  clock = createFakeClock();
  breaker = createCircuitBreaker({ name: 'wait-time-model', clock, resetTimeoutMs: 30_000 });
  requests = 0;
});

function estimatorWith(overrides: Partial<HybridWaitTimeEstimatorOptions> = {}) {
  return createHybridWaitTimeEstimator({
    rule,
    model: httpWaitTimeModel({ baseUrl: BASE_URL }),
    breaker,
    latencyBudgetMs: BUDGET_MS,
    clock,
    ...overrides,
  });
}

function answering(respond: () => Response | Promise<Response>): void {
  server.use(
    http.post(ENDPOINT, () => {
      requests += 1;
      return respond();
    }),
  );
}

function minutes(p50: number, p90: number): JsonBodyType {
  return { p50Minutes: p50, p90Minutes: p90 };
}

describe('createHybridWaitTimeEstimator', () => {
  it('serves the model estimate when it answers in time inside the sanity band', async () => {
    answering(() => HttpResponse.json(minutes(12, 25)));

    await expect(estimatorWith().estimate(request)).resolves.toEqual({
      p50Ms: 12 * MINUTE,
      p90Ms: 25 * MINUTE,
      source: 'model',
    });
  });

  it('serves the rule estimate when the model does not answer within the budget', async () => {
    let reached!: () => void;
    const arrived = new Promise<void>((resolve) => (reached = resolve));
    answering(async () => {
      reached();
      await delay('infinite');
      return HttpResponse.json(minutes(12, 25));
    });

    const pending = estimatorWith().estimate(request);
    await arrived;
    await clock.advance(BUDGET_MS);

    await expect(pending).resolves.toEqual({ ...RULE, source: 'rule' });
    expect(requests).toBe(1);
  });

  it.each([
    ['answers 500', () => new HttpResponse(null, { status: 500 })],
    ['answers 503', () => new HttpResponse('overloaded', { status: 503 })],
    ['fails at the network', () => HttpResponse.error()],
    ['returns a negative wait', () => HttpResponse.json(minutes(-5, 10))],
    ['returns 10,000 minutes', () => HttpResponse.json(minutes(10_000, 10_000))],
    ['returns a P50 above its P90', () => HttpResponse.json(minutes(15, 12))],
    [
      'returns malformed JSON',
      () =>
        new HttpResponse('{"p50Minutes": NaN', { headers: { 'content-type': 'application/json' } }),
    ],
    ['returns the wrong shape', () => HttpResponse.json({ minutes: 12 })],
  ])('serves the rule estimate when the model %s', async (_, respond) => {
    answering(respond);

    await expect(estimatorWith().estimate(request)).resolves.toEqual({ ...RULE, source: 'rule' });
    expect(requests).toBe(1);
  });

  it('serves the rule estimate when the model resolves to NaN', async () => {
    const estimator = estimatorWith({
      model: { predict: () => Promise.resolve({ p50Ms: Number.NaN, p90Ms: Number.NaN }) },
    });

    await expect(estimator.estimate(request)).resolves.toMatchObject({ source: 'rule' });
  });

  it('serves the rule estimate when the breaker hands back a fallback of another shape', async () => {
    const withFallback = createCircuitBreaker({ clock, fallback: () => 'unavailable' });
    answering(() => new HttpResponse(null, { status: 502 }));

    await expect(estimatorWith({ breaker: withFallback }).estimate(request)).resolves.toMatchObject(
      {
        source: 'rule',
      },
    );
  });

  it('stops calling the model once repeated failures open the breaker', async () => {
    answering(() => new HttpResponse(null, { status: 503 }));
    const estimator = estimatorWith();

    for (let call = 0; call < 5; call += 1) {
      await expect(estimator.estimate(request)).resolves.toMatchObject({ source: 'rule' });
    }
    expect(breaker.getState()).toBe('open');
    for (let call = 0; call < 5; call += 1) {
      await expect(estimator.estimate(request)).resolves.toEqual({ ...RULE, source: 'rule' });
    }

    expect(requests).toBe(5);
  });

  it('stops calling the model once repeated timeouts open the breaker', async () => {
    answering(async () => {
      await delay('infinite');
      return HttpResponse.json(minutes(12, 25));
    });
    const estimator = estimatorWith();

    for (let call = 0; call < 5; call += 1) {
      const pending = estimator.estimate(request);
      await clock.advance(BUDGET_MS);
      await expect(pending).resolves.toMatchObject({ source: 'rule' });
    }
    const counted = requests;
    await expect(estimator.estimate(request)).resolves.toEqual({ ...RULE, source: 'rule' });

    expect(breaker.getState()).toBe('open');
    expect(requests).toBe(counted);
  });

  it('calls the model again when the open period has passed and it recovered', async () => {
    answering(() => new HttpResponse(null, { status: 503 }));
    const estimator = estimatorWith();
    for (let call = 0; call < 5; call += 1) await estimator.estimate(request);
    answering(() => HttpResponse.json(minutes(12, 25)));

    await clock.advance(30_000);

    await expect(estimator.estimate(request)).resolves.toMatchObject({ source: 'model' });
    expect(breaker.getState()).toBe('closed');
  });

  it('records both estimates and the source when a recorder is given', async () => {
    answering(() => HttpResponse.json(minutes(10_000, 10_000)));
    const recorder = memoryEstimateRecorder();
    await estimatorWith({ recorder }).estimate(request);
    await recorder.recordActual('entry-1', 15 * MINUTE);

    const rows = await recorder.accuracy();

    expect(rows).toEqual([
      {
        clinicId: 'clinic-1',
        subject: 'served',
        count: 1,
        maeMs: 5 * MINUTE,
        underPredictionRate: 0,
      },
      {
        clinicId: 'clinic-1',
        subject: 'rule',
        count: 1,
        maeMs: 5 * MINUTE,
        underPredictionRate: 0,
      },
      {
        clinicId: 'clinic-1',
        subject: 'model',
        count: 1,
        maeMs: 9_985 * MINUTE,
        underPredictionRate: 0,
      },
    ]);
  });

  it('still serves the estimate when the recorder fails', async () => {
    answering(() => HttpResponse.json(minutes(12, 25)));
    const failing: EstimateRecorder = {
      recordEstimate: () => Promise.reject(new Error('store down')),
      recordActual: () => Promise.resolve(false),
      accuracy: () => Promise.resolve([]),
    };

    await expect(estimatorWith({ recorder: failing }).estimate(request)).resolves.toMatchObject({
      source: 'model',
    });
  });

  it('accepts a model wait of up to the slack when the rule estimate is zero', async () => {
    answering(() => HttpResponse.json(minutes(4, 9)));
    const estimator = estimatorWith({ rule: { estimate: () => ({ p50Ms: 0, p90Ms: 0 }) } });

    await expect(estimator.estimate(request)).resolves.toMatchObject({ source: 'model' });
  });

  it.each([
    [{ latencyBudgetMs: 0 }],
    [{ latencyBudgetMs: Number.POSITIVE_INFINITY }],
    [{ sanityBand: { factor: 0.5 } }],
    [{ sanityBand: { slackMs: -1 } }],
  ])('throws a QueueConfigError, not a raw RangeError, when created with %o', (overrides) => {
    expect(() => estimatorWith(overrides)).toThrow(QueueConfigError);
  });
});

describe('hybrid estimator arguments', () => {
  it('refuses a null request or a billion active servers with a ValidationError naming request, before the model is asked (raw TypeError)', async () => {
    answering(() => HttpResponse.json({ p50Minutes: 9, p90Minutes: 18 }));
    const estimator = estimatorWith();
    for (const bad of [
      null,
      { ...request, snapshot: { ...request.snapshot, activeServers: 1e9 } },
      { ...request, entryId: '' },
    ]) {
      await expect(estimator.estimate(bad as HybridEstimateRequest)).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        issues: [{ path: expect.stringMatching(/^request/) as unknown }],
      });
    }
    expect(requests).toBe(0);
  });
});
