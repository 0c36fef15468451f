import { createFakeClock, ExternalServiceError } from '@carequeue/core';
import { describe, expect, it } from 'vitest';
import { createCircuitBreaker, type CircuitBreaker } from '../breaker/circuit-breaker.js';
import { breakerHealthCheck } from './breaker-health-check.js';
import { createHealthRegistry } from './health-registry.js';

async function openBreaker(breaker: CircuitBreaker<unknown>): Promise<void> {
  for (let i = 0; i < 5; i += 1) {
    await breaker
      .execute(() => Promise.reject(new ExternalServiceError('ml', 'answered 503')))
      .catch(() => undefined);
  }
}

describe('breakerHealthCheck', () => {
  it('passes while closed and warns while open when a fallback answers', async () => {
    const clock = createFakeClock();
    const breaker = createCircuitBreaker({ clock, timeoutMs: false, fallback: () => null });
    const health = createHealthRegistry({ clock }).register('ml', breakerHealthCheck(breaker), {
      cacheMs: 0,
    });
    expect((await health.toHealthJson()).status).toBe('pass');
    await openBreaker(breaker);
    await clock.advance(1);
    const doc = await health.toHealthJson();
    expect(doc.status).toBe('warn');
    expect(doc.checks['ml:responseTime']?.[0]?.output).toContain('fallback');
  });

  it('fails while open when there is no fallback', async () => {
    const clock = createFakeClock();
    const breaker = createCircuitBreaker({ clock, timeoutMs: false });
    await openBreaker(breaker);
    const health = createHealthRegistry({ clock }).register('ml', breakerHealthCheck(breaker));
    expect((await health.readiness()).status).toBe('fail');
  });
});
