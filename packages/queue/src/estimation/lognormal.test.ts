import { describe, expect, it } from 'vitest';
import { lognormalFromMoments, lognormalResidual, standardNormalCdf } from './lognormal.js';

describe('lognormal', () => {
  it('recovers the mean and sd when parameterized from them', () => {
    const { mu, sigma } = lognormalFromMoments(12, 6);
    const mean = Math.exp(mu + sigma ** 2 / 2);
    const variance = (Math.exp(sigma ** 2) - 1) * Math.exp(2 * mu + sigma ** 2);
    expect(mean).toBeCloseTo(12, 9);
    expect(Math.sqrt(variance)).toBeCloseTo(6, 9);
  });

  it('throws a RangeError when the mean is not positive', () => {
    expect(() => lognormalFromMoments(0, 1)).toThrow(RangeError);
  });

  it('gives the known normal CDF values when evaluated', () => {
    expect(standardNormalCdf(0)).toBeCloseTo(0.5, 6);
    expect(standardNormalCdf(1.2815515655446004)).toBeCloseTo(0.9, 6);
    expect(standardNormalCdf(-1.959963984540054)).toBeCloseTo(0.025, 6);
  });

  it('shrinks the remaining time as the service runs on, and handles the far tail', () => {
    const parameters = lognormalFromMoments(12, 6);
    expect(lognormalResidual(parameters, 0).mean).toBeCloseTo(12, 9);
    const later = lognormalResidual(parameters, 10);
    expect(later.mean).toBeGreaterThan(0);
    expect(later.mean).toBeLessThan(12);
    expect(lognormalResidual(parameters, 10_000).mean).toBe(3);
  });
});
