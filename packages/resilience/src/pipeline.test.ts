import {
  createFakeClock,
  ExternalServiceError,
  RateLimitedError,
  TimeoutError,
} from '@carequeue/core';
import { describe, expect, it } from 'vitest';
import { createCircuitBreaker } from './breaker/circuit-breaker.js';
import type { ExecuteOptions, Operation, Policy } from './execution-context.js';
import { createPipelinePolicy, type RateLimitStep, createWrapPolicy } from './pipeline.js';
import { createRetryPolicy } from './retry/retry-policy.js';

function recording(name: string, log: string[]): Policy {
  return {
    execute<T>(operation: Operation<T>, options?: ExecuteOptions): Promise<T> {
      log.push(name);
      return operation({
        signal: options?.signal ?? new AbortController().signal,
        deadline: options?.deadline,
      });
    },
  };
}

describe('pipeline', () => {
  it('runs rate limit, total timeout, retry, breaker and attempt timeout in the standard order', async () => {
    const clock = createFakeClock();
    const log: string[] = [];
    const rateLimit: RateLimitStep = {
      acquire: ({ key }) => {
        log.push(`rate-limit:${key ?? ''}`);
        return Promise.resolve();
      },
    };
    const policy = createPipelinePolicy({
      clock,
      rateLimit,
      totalTimeoutMs: 10_000,
      retry: recording('retry', log),
      breaker: recording('breaker', log),
      attemptTimeoutMs: 1_000,
    });
    let deadline: number | undefined;
    const result = await policy.execute(
      (context) => {
        deadline = context.deadline;
        log.push('operation');
        return Promise.resolve('ok');
      },
      { key: 'clinic-1' },
    );
    expect(result).toBe('ok');
    expect(log).toEqual(['rate-limit:clinic-1', 'retry', 'breaker', 'operation']);
    expect(deadline).toBe(clock.now() + 1_000);
  });

  it('stops at the rate limit when the step rejects', async () => {
    let ran = false;
    const policy = createPipelinePolicy({
      rateLimit: { acquire: () => Promise.reject(new RateLimitedError(500)) },
    });
    await expect(
      policy.execute(() => {
        ran = true;
        return Promise.resolve();
      }),
    ).rejects.toBeInstanceOf(RateLimitedError);
    expect(ran).toBe(false);
  });

  it('retries an attempt that times out and counts each attempt in the breaker', async () => {
    const clock = createFakeClock();
    const breaker = createCircuitBreaker({ clock, timeoutMs: false, volumeThreshold: 10 });
    const policy = createPipelinePolicy({
      clock,
      totalTimeoutMs: 60_000,
      retry: createRetryPolicy({ clock, maxRetries: 2, baseDelayMs: 10, random: () => 0.5 }),
      breaker,
      attemptTimeoutMs: 100,
    });
    let attempts = 0;
    const call = policy.execute(({ signal }) => {
      attempts += 1;
      if (attempts < 3)
        return new Promise<string>((_resolve, reject) =>
          signal.addEventListener('abort', () => reject(signal.reason as Error)),
        );
      return Promise.resolve('delivered');
    });
    await clock.advance(1_000);
    await expect(call).resolves.toBe('delivered');
    expect(attempts).toBe(3);
    expect(breaker.toSnapshot().window).toEqual({ calls: 3, failures: 2 });
  });

  it('bounds retries by the total timeout when the dependency keeps failing', async () => {
    const clock = createFakeClock();
    const policy = createPipelinePolicy({
      clock,
      totalTimeoutMs: 250,
      retry: createRetryPolicy({
        clock,
        maxRetries: 100,
        baseDelayMs: 100,
        random: () => 0.99,
        budget: false,
      }),
    });
    const call = policy
      .execute(() => Promise.reject(new ExternalServiceError('twilio', 'answered 503')))
      .catch((error: unknown) => error);
    await clock.advance(1_000);
    expect(await call).toBeInstanceOf(ExternalServiceError);
  });

  it('fails with the total timeout when an attempt hangs past it', async () => {
    const clock = createFakeClock();
    const policy = createWrapPolicy(createPipelinePolicy({ clock, totalTimeoutMs: 300 }));
    const call = policy
      .execute(() => new Promise<never>(() => undefined))
      .catch((error: unknown) => error);
    await clock.advance(300);
    expect(await call).toBeInstanceOf(TimeoutError);
  });
});
