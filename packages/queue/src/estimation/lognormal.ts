/**
 * Lognormal distributions parameterized by their mean and standard deviation, as service and
 * wait times are usually reported.
 *
 * @packageDocumentation
 */

/**
 * The parameters of the normal distribution of `ln X` for a lognormal `X`.
 *
 * @example
 * ```ts
 * const { mu, sigma }: LognormalParameters = lognormalFromMoments(12, 6);
 * ```
 */
export interface LognormalParameters {
  readonly mu: number;
  readonly sigma: number;
}

/**
 * The standard normal quantile at 0.9, used for P90.
 *
 * @example
 * ```ts
 * const p90 = Math.exp(mu + Z_90 * sigma);
 * ```
 */
export const Z_90 = 1.2815515655446004;

/**
 * The lognormal whose mean and standard deviation are `mean` and `sd`:
 * `sigma² = ln(1 + sd²/mean²)` and `mu = ln(mean) - sigma²/2`.
 *
 * @throws RangeError when `mean` is not positive or `sd` is negative.
 * @example
 * ```ts
 * import { lognormalFromMoments } from '@carequeue/queue';
 *
 * lognormalFromMoments(12, 6); // { mu: 2.37..., sigma: 0.47... }
 * ```
 */
export function lognormalFromMoments(mean: number, sd: number): LognormalParameters {
  if (!(mean > 0) || !(sd >= 0) || !Number.isFinite(mean) || !Number.isFinite(sd)) {
    throw new RangeError('A lognormal needs a positive finite mean and a finite sd of 0 or more.');
  }
  const sigmaSquared = Math.log1p((sd * sd) / (mean * mean));
  return { mu: Math.log(mean) - sigmaSquared / 2, sigma: Math.sqrt(sigmaSquared) };
}

/**
 * The standard normal cumulative distribution function (Abramowitz and Stegun 7.1.26 on `erf`,
 * absolute error below 1.5e-7).
 *
 * @example
 * ```ts
 * import { standardNormalCdf } from '@carequeue/queue';
 *
 * standardNormalCdf(0); // 0.5
 * ```
 */
export function standardNormalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly =
    t *
    (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/**
 * Mean and variance of the time still to run for a lognormal duration that has already run for
 * `elapsed`: `E[X - e | X > e]` and `Var[X | X > e]`, from the lognormal's partial moments.
 *
 * @example
 * ```ts
 * import { lognormalFromMoments, lognormalResidual } from '@carequeue/queue';
 *
 * lognormalResidual(lognormalFromMoments(12, 6), 10).mean; // about 6.6
 * ```
 */
export function lognormalResidual(
  parameters: LognormalParameters,
  elapsed: number,
): { readonly mean: number; readonly variance: number } {
  const { mu, sigma } = parameters;
  const mean = Math.exp(mu + (sigma * sigma) / 2);
  const secondMoment = Math.exp(2 * mu + 2 * sigma * sigma);
  if (elapsed <= 0 || sigma === 0) {
    return { mean: Math.max(0, mean - Math.max(0, elapsed)), variance: secondMoment - mean * mean };
  }
  const a = (Math.log(elapsed) - mu) / sigma;
  const survival = 1 - standardNormalCdf(a);
  // Far in the tail the partial moments lose all precision: assume a quarter of the mean is left.
  if (survival < 1e-9) return { mean: mean * 0.25, variance: secondMoment - mean * mean };
  const conditionalMean = (mean * (1 - standardNormalCdf(a - sigma))) / survival;
  const conditionalSecond = (secondMoment * (1 - standardNormalCdf(a - 2 * sigma))) / survival;
  return {
    mean: Math.max(0, conditionalMean - elapsed),
    variance: Math.max(0, conditionalSecond - conditionalMean * conditionalMean),
  };
}
