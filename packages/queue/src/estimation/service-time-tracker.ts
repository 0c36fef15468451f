/**
 * Per service type EWMA of service time, seeded with a prior for cold start.
 *
 * @packageDocumentation
 */
import { z } from 'zod';
import { parseArguments } from '@carequeue/core';
import { ServiceTypeArgument } from './estimation-arguments.js';
import { checkFactoryOptions } from '../config/factory-options.js';

const serviceTypeArguments = z.object({ serviceType: ServiceTypeArgument });

// Any number is accepted (a negative or non-finite one is ignored); anything else is refused.
const observeArguments = serviceTypeArguments.extend({
  durationMs: z.custom<number>((value) => typeof value === 'number', {
    message: 'must be a number of milliseconds',
  }),
});

const MomentsOption = z.object({ meanMs: z.number().positive(), sdMs: z.number().nonnegative() });

const ServiceTimeTrackerOptionsSchema = z.object({
  priors: z.record(z.string(), MomentsOption).optional(),
  defaultPrior: MomentsOption,
  alpha: z.number().positive().max(1).optional(),
});

/**
 * Mean and standard deviation of a service time, in milliseconds.
 *
 * @example
 * ```ts
 * const vaccination: ServiceTimeMoments = { meanMs: 5 * 60_000, sdMs: 2 * 60_000 };
 * ```
 */
export interface ServiceTimeMoments {
  readonly meanMs: number;
  readonly sdMs: number;
}

/**
 * Options of {@link createServiceTimeTracker}.
 *
 * @example
 * ```ts
 * const options: ServiceTimeTrackerOptions = {
 *   priors: { consultation: { meanMs: 900_000, sdMs: 450_000 } },
 *   defaultPrior: { meanMs: 600_000, sdMs: 300_000 },
 * };
 * ```
 */
export interface ServiceTimeTrackerOptions {
  /** The starting estimate per service type, such as its booked duration. */
  readonly priors?: Readonly<Record<string, ServiceTimeMoments>>;
  /** The starting estimate for a service type without a prior. */
  readonly defaultPrior: ServiceTimeMoments;
  /**
   * Weight of each new observation; about `2 / alpha` recent services dominate the estimate.
   * @default 0.1
   */
  readonly alpha?: number;
}

/**
 * Learns service times per service type from completed services.
 *
 * @example
 * ```ts
 * tracker.observe('vaccination', 4 * 60_000);
 * tracker.moments('vaccination').meanMs;
 * ```
 */
export interface ServiceTimeTracker {
  /**
   * Adds one completed service (negative or non-finite durations are ignored).
   *
   * @throws `ValidationError` when `serviceType` is not one line of 1-200 characters.
   */
  observe(serviceType: string, durationMs: number): void;
  /**
   * The current mean and standard deviation for a service type.
   *
   * @throws `ValidationError` when `serviceType` is not one line of 1-200 characters.
   */
  moments(serviceType: string): ServiceTimeMoments;
}

interface RunningMoments {
  mean: number;
  variance: number;
}

/**
 * Creates a {@link ServiceTimeTracker}: an exponentially weighted mean and variance per service
 * type, starting from the prior so the first estimates of the day are sensible.
 *
 * @throws `QueueConfigError` when `alpha` is not in (0, 1] or a prior is not positive.
 * @example
 * ```ts
 * import { createServiceTimeTracker } from '@carequeue/queue';
 *
 * const tracker = createServiceTimeTracker({ defaultPrior: { meanMs: 600_000, sdMs: 300_000 } });
 * tracker.observe('consultation', 720_000);
 * ```
 */
export function createServiceTimeTracker(options: ServiceTimeTrackerOptions): ServiceTimeTracker {
  checkFactoryOptions('createServiceTimeTracker', ServiceTimeTrackerOptionsSchema, options);
  const alpha = options.alpha ?? 0.1;
  const priors = options.priors ?? {};
  const running = new Map<string, RunningMoments>();

  function stateOf(serviceType: string): RunningMoments {
    let state = running.get(serviceType);
    if (state === undefined) {
      const prior = priors[serviceType] ?? options.defaultPrior;
      state = { mean: prior.meanMs, variance: prior.sdMs * prior.sdMs };
      running.set(serviceType, state);
    }
    return state;
  }

  return {
    observe(serviceType, durationMs) {
      parseArguments(observeArguments, { serviceType, durationMs }, 'ServiceTimeTracker.observe');
      if (!(durationMs >= 0) || !Number.isFinite(durationMs)) return;
      const state = stateOf(serviceType);
      const deviation = durationMs - state.mean;
      state.mean += alpha * deviation;
      state.variance = (1 - alpha) * (state.variance + alpha * deviation * deviation);
    },
    moments(serviceType) {
      parseArguments(serviceTypeArguments, { serviceType }, 'ServiceTimeTracker.moments');
      const state = stateOf(serviceType);
      return { meanMs: state.mean, sdMs: Math.sqrt(state.variance) };
    },
  };
}
