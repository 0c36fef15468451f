/**
 * The wait-time estimator that asks the external model and falls back to the rule estimator.
 *
 * @packageDocumentation
 */
import { type Clock, type Logger, silentLogger, systemClock } from '@carequeue/core';
import type { ExecuteOptions, Operation } from '@carequeue/resilience';
import type { EstimateRecorder, EstimateSource } from './estimate-recorder.js';
import type { QueueSnapshot, WaitEstimate, WaitTimeEstimator } from './wait-time-estimator.js';
import type { WaitTimeFeatures, WaitTimeModel } from './wait-time-model.js';
import { z } from 'zod';
import { parseArguments } from '@carequeue/core';
import { CallOptionsArgument, HybridEstimateRequestArgument } from './estimation-arguments.js';
import { checkFactoryOptions, clockOption, portOption } from '../config/factory-options.js';

const hybridEstimateArguments = z.object({
  request: HybridEstimateRequestArgument,
  options: CallOptionsArgument,
});

/**
 * How far the model's estimate may be from the rule estimate and still be used. For P50 and P90
 * alike, the model's value `m` is accepted when `rule / factor <= m <= rule * factor + slackMs`;
 * the slack lets the model see a wait the rule estimator puts at or near zero.
 *
 * @example
 * ```ts
 * const band: SanityBand = { factor: 2, slackMs: 5 * 60_000 };
 * ```
 */
export interface SanityBand {
  /** @default 3 */
  readonly factor?: number;
  /** @default 600000 (10 minutes) */
  readonly slackMs?: number;
}

/**
 * What calls the model: a `CircuitBreaker` from `@carequeue/resilience`, or any policy that
 * honours the `signal` and `deadline` it is given.
 *
 * @example
 * ```ts
 * const breaker: WaitTimeModelBreaker = createCircuitBreaker({ name: 'wait-time-model', clock });
 * ```
 */
export interface WaitTimeModelBreaker {
  execute<T>(operation: Operation<T>, options?: ExecuteOptions): Promise<unknown>;
}

/**
 * Options of {@link createHybridWaitTimeEstimator}.
 *
 * @example
 * ```ts
 * const options: HybridWaitTimeEstimatorOptions = {
 *   rule: createWaitTimeEstimator({ tracker }),
 *   model: httpWaitTimeModel({ baseUrl: 'https://ml.example.org' }),
 *   breaker: createCircuitBreaker({ name: 'wait-time-model', clock }),
 *   latencyBudgetMs: 200,
 *   recorder: memoryEstimateRecorder(),
 *   clock,
 * };
 * ```
 */
export interface HybridWaitTimeEstimatorOptions {
  /** The estimator that always answers. */
  readonly rule: WaitTimeEstimator;
  readonly model: WaitTimeModel;
  /** Calls the model; give it the same clock as this estimator. */
  readonly breaker: WaitTimeModelBreaker;
  /** How long the model may take before the rule estimate is served instead, in ms. */
  readonly latencyBudgetMs: number;
  /** @default { factor: 3, slackMs: 600000 } */
  readonly sanityBand?: SanityBand;
  /** Where both estimates are kept for accuracy tracking; none keeps nothing. */
  readonly recorder?: EstimateRecorder;
  /** @default systemClock */
  readonly clock?: Clock;
  /** Warned when a record cannot be stored. @default silentLogger */
  readonly logger?: Logger;
}

/**
 * One check-in to estimate.
 *
 * @example
 * ```ts
 * const request: HybridEstimateRequest = {
 *   entryId: 'entry-1',
 *   clinicId: 'clinic-1',
 *   serviceType: 'consultation',
 *   snapshot: { activeServers: 2, ahead: [{ serviceType: 'vaccination' }], inService: [] },
 * };
 * ```
 */
export interface HybridEstimateRequest {
  /** The queue entry, under which the estimate is recorded. */
  readonly entryId: string;
  readonly clinicId: string;
  /** The service type the patient checked in for. */
  readonly serviceType: string;
  readonly snapshot: QueueSnapshot;
}

/**
 * The estimate served, with the estimator that answered.
 *
 * @example
 * ```ts
 * const { p50Ms, source }: HybridWaitEstimate = await estimator.estimate(request);
 * ```
 */
export interface HybridWaitEstimate extends WaitEstimate {
  readonly source: EstimateSource;
}

/**
 * Estimates waits from the model when it answers in time with a plausible value, else from the
 * rule estimator.
 *
 * @example
 * ```ts
 * const { p50Ms, p90Ms, source } = await estimator.estimate(request, { signal });
 * ```
 */
export interface HybridWaitTimeEstimator {
  /**
   * The wait of the patient in `request`. Failures of the model, of its breaker and of the
   * recorder never reach the caller; an abort of `signal` only stops the model call.
   *
   * @throws `ValidationError` naming the field, before the model is called, when the request is
   * invalid (see `WaitTimeEstimator.estimate` for the snapshot).
   */
  estimate(
    request: HybridEstimateRequest,
    options?: { readonly signal?: AbortSignal | undefined },
  ): Promise<HybridWaitEstimate>;
}

const HybridWaitTimeEstimatorOptionsSchema = z.object({
  rule: portOption('a WaitTimeEstimator', ['estimate']),
  model: portOption('a WaitTimeModel', ['predict']),
  breaker: portOption('a circuit breaker', ['execute']),
  latencyBudgetMs: z.number().positive(),
  sanityBand: z
    .object({ factor: z.number().min(1).optional(), slackMs: z.number().nonnegative().optional() })
    .optional(),
  recorder: portOption('an EstimateRecorder', ['recordEstimate']).optional(),
  clock: clockOption.optional(),
  logger: portOption('a Logger', ['warn']).optional(),
});

/**
 * Creates a {@link HybridWaitTimeEstimator}. Each estimate computes the rule estimate, then calls
 * the model through the breaker with a deadline `latencyBudgetMs` ahead, so the breaker's timeout
 * aborts a slow call. The model's answer is served only when it is finite, non-negative, has
 * P50 at most P90 and lies inside the {@link SanityBand} around the rule estimate; otherwise the
 * rule estimate is served. Both values are recorded (the model's when it passes those checks other than the band).
 *
 * @throws `QueueConfigError` when a port is missing, or `latencyBudgetMs`, `factor` or
 * `slackMs` is not a positive number (`slackMs` may be 0) or `factor` is below 1.
 * @example
 * ```ts
 * import { createCircuitBreaker, type CircuitBreaker } from '@carequeue/resilience';
 * import {
 *   createHybridWaitTimeEstimator,
 *   createWaitTimeEstimator,
 *   httpWaitTimeModel,
 *   memoryEstimateRecorder,
 * } from '@carequeue/queue';
 *
 * const estimator = createHybridWaitTimeEstimator({
 *   rule: createWaitTimeEstimator({ tracker }),
 *   model: httpWaitTimeModel({ baseUrl: 'https://ml.example.org' }),
 *   breaker: createCircuitBreaker({ name: 'wait-time-model' }),
 *   latencyBudgetMs: 200,
 *   recorder: memoryEstimateRecorder(),
 * });
 * const { p50Ms, source } = await estimator.estimate(request);
 * ```
 */
export function createHybridWaitTimeEstimator(
  options: HybridWaitTimeEstimatorOptions,
): HybridWaitTimeEstimator {
  checkFactoryOptions(
    'createHybridWaitTimeEstimator',
    HybridWaitTimeEstimatorOptionsSchema,
    options,
  );
  const { rule, model, breaker, latencyBudgetMs, recorder } = options;
  const factor = options.sanityBand?.factor ?? 3;
  const slackMs = options.sanityBand?.slackMs ?? 600_000;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;

  const inBand = (value: number, reference: number): boolean =>
    value >= reference / factor && value <= reference * factor + slackMs;

  return {
    async estimate(request, callOptions) {
      parseArguments(
        hybridEstimateArguments,
        { request, options: callOptions },
        'HybridWaitTimeEstimator.estimate',
      );
      const ruleEstimate = rule.estimate(request.snapshot);
      const features = featuresOf(request);
      let answer: unknown;
      try {
        answer = await breaker.execute(({ signal }) => model.predict(features, { signal }), {
          signal: callOptions?.signal,
          deadline: clock.now() + latencyBudgetMs,
        });
      } catch {
        answer = undefined;
      }
      const modelEstimate = plausible(answer);
      const accepted =
        modelEstimate !== undefined &&
        inBand(modelEstimate.p50Ms, ruleEstimate.p50Ms) &&
        inBand(modelEstimate.p90Ms, ruleEstimate.p90Ms);
      const source: EstimateSource = accepted ? 'model' : 'rule';
      const served = accepted ? modelEstimate : ruleEstimate;
      if (recorder !== undefined) {
        try {
          await recorder.recordEstimate({
            entryId: request.entryId,
            clinicId: request.clinicId,
            estimatedAt: clock.now(),
            source,
            rule: ruleEstimate,
            model: modelEstimate,
          });
        } catch (error) {
          logger.warn({ error }, 'wait-time estimate could not be recorded');
        }
      }
      return { p50Ms: served.p50Ms, p90Ms: served.p90Ms, source };
    },
  };
}

function featuresOf(request: HybridEstimateRequest): WaitTimeFeatures {
  const { activeServers, ahead, inService } = request.snapshot;
  return {
    clinicId: request.clinicId,
    serviceType: request.serviceType,
    position: ahead.length + 1,
    activeServers,
    ahead,
    inService,
  };
}

// The breaker may hand back a fallback value of any shape, so the answer is checked here too.
function plausible(answer: unknown): WaitEstimate | undefined {
  if (typeof answer !== 'object' || answer === null) return undefined;
  const { p50Ms, p90Ms } = answer as Partial<Record<keyof WaitEstimate, unknown>>;
  if (typeof p50Ms !== 'number' || typeof p90Ms !== 'number') return undefined;
  if (!Number.isFinite(p50Ms) || !Number.isFinite(p90Ms)) return undefined;
  if (p50Ms < 0 || p50Ms > p90Ms) return undefined;
  return { p50Ms, p90Ms };
}
