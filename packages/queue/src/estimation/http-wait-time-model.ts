/**
 * The HTTP adapter of the {@link WaitTimeModel} port.
 *
 * @packageDocumentation
 */
import { z } from 'zod';
import type { WaitEstimate } from './wait-time-estimator.js';
import type { WaitTimeFeatures, WaitTimeModel } from './wait-time-model.js';
import { WaitTimeModelError } from './wait-time-model-error.js';
import { MINUTE_MS, parseArguments } from '@carequeue/core';
import { CallOptionsArgument, WaitTimeFeaturesArgument } from './estimation-arguments.js';
import { checkFactoryOptions, functionOption } from '../config/factory-options.js';

const predictArguments = z.object({
  features: WaitTimeFeaturesArgument,
  options: CallOptionsArgument,
});

const predictionSchema = z.object({
  p50Minutes: z.number(),
  p90Minutes: z.number(),
});

/**
 * Options of {@link httpWaitTimeModel}.
 *
 * @example
 * ```ts
 * const options: HttpWaitTimeModelOptions = {
 *   baseUrl: 'https://ml.example.org',
 *   headers: { authorization: `Bearer ${process.env.ML_TOKEN}` },
 * };
 * ```
 */
export interface HttpWaitTimeModelOptions {
  /** The service's root URL; predictions are posted to `<baseUrl>/v1/wait-time`. */
  readonly baseUrl: string;
  /** @default globalThis.fetch */
  readonly fetch?: typeof globalThis.fetch;
  /** Extra request headers, such as authorization. */
  readonly headers?: Readonly<Record<string, string>>;
}

const HttpWaitTimeModelOptionsSchema = z.object({
  baseUrl: z
    .string()
    .refine((value) => URL.canParse(value), { message: 'must be an absolute URL' }),
  fetch: functionOption().optional(),
  headers: z.record(z.string(), z.string()).optional(),
});

/**
 * A {@link WaitTimeModel} served over HTTP. Each prediction is a `POST <baseUrl>/v1/wait-time`
 * whose JSON body is the features (wait times in milliseconds) and whose JSON answer is
 * `{ "p50Minutes": number, "p90Minutes": number }`. Whether the numbers are plausible is the
 * caller's concern (see {@link createHybridWaitTimeEstimator}); this adapter checks the shape only.
 *
 * @throws WaitTimeModelError (from `predict`) with code `WAIT_TIME_MODEL_UNREACHABLE` when the
 * request fails, `WAIT_TIME_MODEL_BAD_STATUS` on a non-2xx answer and
 * `WAIT_TIME_MODEL_INVALID_RESPONSE` when the body is not JSON of that shape. An aborted call
 * rejects with the signal's reason.
 * @example
 * ```ts
 * import { httpWaitTimeModel } from '@carequeue/queue';
 *
 * const model = httpWaitTimeModel({ baseUrl: 'https://ml.example.org' });
 * const { p50Ms } = await model.predict(features, { signal });
 * ```
 */
export function httpWaitTimeModel(options: HttpWaitTimeModelOptions): WaitTimeModel {
  checkFactoryOptions('httpWaitTimeModel', HttpWaitTimeModelOptionsSchema, options);
  const send = options.fetch ?? globalThis.fetch;
  const url = new URL(
    'v1/wait-time',
    options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`,
  );
  const headers = {
    ...options.headers,
    accept: 'application/json',
    'content-type': 'application/json',
  };

  return {
    async predict(features, callOptions) {
      parseArguments(predictArguments, { features, options: callOptions }, 'WaitTimeModel.predict');
      const signal = callOptions?.signal;
      let response: Response;
      try {
        response = await send(url, {
          method: 'POST',
          headers,
          body: JSON.stringify(requestBody(features)),
          signal,
        });
      } catch (error) {
        if (signal?.aborted === true) throw signal.reason;
        throw new WaitTimeModelError('WAIT_TIME_MODEL_UNREACHABLE', { cause: error });
      }
      if (!response.ok) {
        // Releases the connection without waiting: a stalled error body must not hold the call.
        response.body?.cancel().catch(() => undefined);
        throw new WaitTimeModelError('WAIT_TIME_MODEL_BAD_STATUS', {
          upstreamStatus: response.status,
        });
      }
      let body: unknown;
      try {
        body = await response.json();
      } catch (error) {
        if (signal?.aborted === true) throw signal.reason;
        throw new WaitTimeModelError('WAIT_TIME_MODEL_INVALID_RESPONSE', { cause: error });
      }
      const parsed = predictionSchema.safeParse(body);
      if (!parsed.success) throw new WaitTimeModelError('WAIT_TIME_MODEL_INVALID_RESPONSE');
      return toEstimate(parsed.data.p50Minutes, parsed.data.p90Minutes);
    },
  };
}

// Only the listed fields are sent, so nothing else a caller's object may carry leaves the process.
function requestBody(features: WaitTimeFeatures): WaitTimeFeatures {
  return {
    clinicId: features.clinicId,
    serviceType: features.serviceType,
    position: features.position,
    activeServers: features.activeServers,
    ahead: features.ahead.map((patient) => ({ serviceType: patient.serviceType })),
    inService: features.inService.map((patient) => ({
      serviceType: patient.serviceType,
      elapsedMs: patient.elapsedMs,
    })),
  };
}

function toEstimate(p50Minutes: number, p90Minutes: number): WaitEstimate {
  return { p50Ms: p50Minutes * MINUTE_MS, p90Ms: p90Minutes * MINUTE_MS };
}
