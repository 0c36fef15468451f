/**
 * The port of an external machine-learning wait-time model.
 *
 * @packageDocumentation
 */
import type { QueueSnapshot, WaitEstimate } from './wait-time-estimator.js';

/**
 * What the wait-time model is told about a check-in: the same queue state the rule estimator
 * sees. It holds identifiers and numbers only, never anything about who the patients are.
 *
 * @example
 * ```ts
 * const features: WaitTimeFeatures = {
 *   clinicId: 'clinic-1',
 *   serviceType: 'consultation',
 *   position: 2,
 *   activeServers: 1,
 *   ahead: [{ serviceType: 'vaccination' }],
 *   inService: [{ serviceType: 'consultation', elapsedMs: 120_000 }],
 * };
 * ```
 */
export interface WaitTimeFeatures extends QueueSnapshot {
  /** The clinic whose queue this is. */
  readonly clinicId: string;
  /** The service type the patient checked in for. */
  readonly serviceType: string;
  /** The patient's 1-based place in the queue: the patients ahead plus one. */
  readonly position: number;
}

/**
 * Options of one model call.
 *
 * @example
 * ```ts
 * const options: WaitTimeModelCallOptions = { signal: AbortSignal.timeout(200) };
 * ```
 */
export interface WaitTimeModelCallOptions {
  /** Aborts the call when the caller stops waiting for it. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * An external model that predicts the wait of a patient checking in.
 *
 * @example
 * ```ts
 * const model: WaitTimeModel = {
 *   predict: async (features) => ({ p50Ms: features.position * 300_000, p90Ms: features.position * 600_000 }),
 * };
 * ```
 */
export interface WaitTimeModel {
  /**
   * The model's P50 and P90 wait for `features`.
   *
   * @throws WaitTimeModelError when the model cannot be reached or answers badly.
   */
  predict(features: WaitTimeFeatures, options?: WaitTimeModelCallOptions): Promise<WaitEstimate>;
}
