import {
  ConflictError,
  createFakeClock,
  ExternalServiceError,
  ForbiddenError,
  RateLimitedError,
  TimeoutError,
  ValidationError,
} from '@carequeue/core';
import { describe, expect, it } from 'vitest';
import { ResilienceConfigError, RetryBudgetExhaustedError } from '../errors.js';
import { createRetryBudget } from './retry-budget.js';
import { createRetryPolicy } from './retry-policy.js';
import { type RetryEvent, retryWithBackoff } from './retry-with-backoff.js';

const unavailable = (): ExternalServiceError => new ExternalServiceError('twilio', 'answered 503');

function failingTimes<T>(
  failures: number,
  value: T,
  error: () => Error = unavailable,
): () => Promise<T> {
  let calls = 0;
  return () => {
    calls += 1;
    return calls <= failures ? Promise.reject(error()) : Promise.resolve(value);
  };
}

describe('retryWithBackoff', () => {
  it('retries transient failures with the roadmap signature and returns the first success', async () => {
    const clock = createFakeClock();
    const events: RetryEvent[] = [];
    const call = retryWithBackoff(failingTimes(2, 'sent'), {
      clock,
      random: () => 0.5,
      onRetry: (event) => events.push(event),
    });
    await clock.advance(60_000);
    await expect(call).resolves.toBe('sent');
    expect(events.map(({ attempt, delayMs }) => [attempt, delayMs])).toEqual([
      [1, 500],
      [2, 1000],
    ]);
  });

  it('backs off on a timer that keeps the process alive until the retry runs', async () => {
    const clock = createFakeClock();
    const call = retryWithBackoff(failingTimes(1, 'sent'), { clock, random: () => 0.5 });
    await clock.advance(0);
    expect(clock.pendingTimers({ background: false })).toBe(1);
    await clock.advance(500);
    await expect(call).resolves.toBe('sent');
    expect(clock.pendingTimers()).toBe(0);
  });

  it('accepts the positional maxRetries and baseDelayMs and gives up after them', async () => {
    let calls = 0;
    const operation = (): Promise<never> => {
      calls += 1;
      return Promise.reject(unavailable());
    };
    const call = retryWithBackoff(operation, 2, 0);
    await expect(call).rejects.toBeInstanceOf(ExternalServiceError);
    expect(calls).toBe(3);
  });

  it.each([
    ['validation', () => new ValidationError('The phone number is invalid.')],
    ['authorization', () => new ForbiddenError('patient:read')],
    ['conflict', () => new ConflictError('The slot was taken.')],
    [
      'non-transient dependency',
      () => new ExternalServiceError('ml', 'bad model', { transient: false }),
    ],
  ])('never retries a %s error', async (_kind, make) => {
    let calls = 0;
    const error = make();
    const call = retryWithBackoff(
      () => {
        calls += 1;
        return Promise.reject(error);
      },
      { clock: createFakeClock() },
    );
    await expect(call).rejects.toBe(error);
    expect(calls).toBe(1);
  });

  it('returns the failure instead of retrying after 1 ms when retryAfterMs is above 2^31-1', async () => {
    const clock = createFakeClock();
    const events: RetryEvent[] = [];
    const error = new RateLimitedError(2_147_483_648);
    const call = retryWithBackoff(() => Promise.reject(error), {
      clock,
      onRetry: (event) => events.push(event),
    }).catch((caught: unknown) => caught);
    await clock.advance(0);
    expect(events).toEqual([]);
    expect(await call).toBe(error);
  });

  it('waits at least retryAfterMs when the failure asks for it', async () => {
    const clock = createFakeClock();
    const events: RetryEvent[] = [];
    const call = retryWithBackoff(
      failingTimes(1, 'ok', () => new RateLimitedError(7_000)),
      {
        clock,
        random: () => 0,
        onRetry: (event) => events.push(event),
      },
    );
    await clock.advance(6_999);
    expect(events.map((event) => event.delayMs)).toEqual([7_000]);
    let settled = false;
    void call.then(() => {
      settled = true;
    });
    await clock.advance(0);
    expect(settled).toBe(false);
    await clock.advance(1);
    await expect(call).resolves.toBe('ok');
  });

  it('cancels in the middle of a wait when the signal aborts', async () => {
    const clock = createFakeClock();
    const controller = new AbortController();
    let calls = 0;
    const call = retryWithBackoff(
      () => {
        calls += 1;
        return Promise.reject(unavailable());
      },
      { clock, signal: controller.signal, random: () => 0.99 },
    );
    await clock.advance(100);
    const reason = new Error('request cancelled');
    controller.abort(reason);
    await expect(call).rejects.toBe(reason);
    expect(clock.pendingTimers()).toBe(0);
    expect(calls).toBe(1);
  });

  it('does not start when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    let calls = 0;
    const call = retryWithBackoff(
      () => {
        calls += 1;
        return Promise.resolve(1);
      },
      { signal: controller.signal },
    );
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    expect(calls).toBe(0);
  });

  it('stops retrying when the next wait would pass the overall deadline', async () => {
    const clock = createFakeClock();
    let calls = 0;
    const call = retryWithBackoff(
      ({ deadline }) => {
        calls += 1;
        expect(deadline).toBe(Date.UTC(2026, 0, 1) + 2_500);
        return Promise.reject(new TimeoutError('ml.estimate', 100));
      },
      { clock, totalTimeoutMs: 2_500, random: () => 0.99, maxRetries: 10 },
    );
    const settled = call.catch((error: unknown) => error);
    await clock.advance(60_000);
    expect(await settled).toBeInstanceOf(TimeoutError);
    // Waits of 990 ms then 1,980 ms: the second would end at 2,970 ms, past the deadline.
    expect(calls).toBe(2);
  });

  it('keeps retries within 10% of 1,000 failing calls when a shared budget is set', async () => {
    const clock = createFakeClock();
    const budget = createRetryBudget({ clock, ratio: 0.1, minRetriesPerWindow: 10 });
    let attempts = 0;
    const exhausted: unknown[] = [];
    const calls = Array.from({ length: 1_000 }, () =>
      retryWithBackoff(
        () => {
          attempts += 1;
          return Promise.reject(unavailable());
        },
        { clock, budget, maxRetries: 3, baseDelayMs: 1 },
      ).catch((error: unknown) => {
        if (error instanceof RetryBudgetExhaustedError) exhausted.push(error);
      }),
    );
    await clock.advance(60_000);
    await Promise.all(calls);
    const retries = attempts - 1_000;
    expect(retries).toBeLessThanOrEqual(0.1 * 1_000 + 10);
    expect(retries).toBeGreaterThan(0);
    expect(exhausted.length).toBeGreaterThan(800);
  });
});

describe('retry', () => {
  it('refuses createRetryPolicy({ maxRetries: -5 }), fractions and NaN when created', () => {
    for (const maxRetries of [-5, 1.5, Number.NaN]) {
      expect(() => createRetryPolicy({ maxRetries })).toThrow(
        'retry options.maxRetries must be an integer of 0 or more',
      );
    }
  });

  it('refuses back-off delays above 2^31-1 ms when created', () => {
    for (const option of ['baseDelayMs', 'maxDelayMs']) {
      expect(() => createRetryPolicy({ [option]: Number.POSITIVE_INFINITY })).toThrow(
        `retry options.${option} must be a number of milliseconds from 0 to 2147483647`,
      );
    }
  });

  it('throws ResilienceConfigError, not a raw TypeError, when options is not an object', () => {
    for (const options of [null, 'twilio', 3]) {
      expect(() => createRetryPolicy(options as never)).toThrow(ResilienceConfigError);
    }
  });
});

describe('retryWithBackoff options', () => {
  it('rejects retryWithBackoff(operation, -5) before running the operation', async () => {
    let calls = 0;
    const operation = (): Promise<string> => {
      calls += 1;
      return Promise.resolve('ok');
    };
    await expect(retryWithBackoff(operation, -5)).rejects.toThrow(
      'retryWithBackoff options.maxRetries must be an integer of 0 or more',
    );
    await expect(retryWithBackoff(operation, null as never)).rejects.toThrow(ResilienceConfigError);
    expect(calls).toBe(0);
  });
});
