import {
  createFakeClock,
  ExternalServiceError,
  type FakeClock,
  type Logger,
  TimeoutError,
  ValidationError,
} from '@carequeue/core';
import type { Attributes, Meter } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { CircuitOpenError, ResilienceConfigError } from '../errors.js';
import type { ExecutionContext } from '../execution-context.js';
import { memoryBreakerStateBus } from './breaker-state-bus.js';
import {
  createCircuitBreaker,
  type CircuitBreaker,
  type CircuitBreakerOptions,
  isCallerError,
} from './circuit-breaker.js';

const failing = (): Promise<never> =>
  Promise.reject(new ExternalServiceError('twilio', 'answered 503'));
const hanging = <T>(): Promise<T> => new Promise<T>(() => undefined);

function breakerWith<F = never>(
  clock: FakeClock,
  options: CircuitBreakerOptions<F> = {},
): CircuitBreaker<F> {
  return createCircuitBreaker<F>({
    name: 'twilio',
    clock,
    timeoutMs: false,
    resetTimeoutMs: 30_000,
    halfOpenTimeoutMs: 1_000,
    ...options,
  });
}

async function trip(breaker: CircuitBreaker<unknown>, calls = 5): Promise<void> {
  for (let i = 0; i < calls; i += 1) await breaker.execute(failing).catch(() => undefined);
}

describe('CircuitBreaker', () => {
  it('opens after the volume threshold of failures when the error rate exceeds the threshold', async () => {
    const breaker = breakerWith(createFakeClock());
    await trip(breaker, 4);
    expect(breaker.getState()).toBe('closed');
    await trip(breaker, 1);
    expect(breaker.getState()).toBe('open');
  });

  it('rejects cheaply with one preallocated error and without running the operation when open', async () => {
    const breaker = breakerWith(createFakeClock());
    await trip(breaker);
    let runs = 0;
    const run = (): Promise<string> => {
      runs += 1;
      return Promise.resolve('sent');
    };
    const first = await breaker.execute(run).catch((error: unknown) => error);
    const second = await breaker.execute(run).catch((error: unknown) => error);
    expect(first).toBeInstanceOf(CircuitOpenError);
    expect(second).toBe(first);
    expect((first as Error).stack ?? '').not.toContain('circuit-breaker.test');
    expect(runs).toBe(0);
  });

  it('reopens when the half-open probe times out and rejects others while it runs', async () => {
    const clock = createFakeClock();
    const breaker = breakerWith(clock);
    const states: string[] = [];
    breaker.on('half-open', () => states.push('half-open'));
    breaker.on('open', () => states.push('open'));
    breaker.on('timeout', () => states.push('timeout'));
    await trip(breaker);
    await clock.advance(30_000);
    expect(breaker.getState()).toBe('half-open');
    const probe = breaker.execute(hanging).catch((error: unknown) => error);
    await expect(breaker.execute(() => Promise.resolve(1))).rejects.toBeInstanceOf(
      CircuitOpenError,
    );
    await clock.advance(1_000);
    expect(await probe).toBeInstanceOf(TimeoutError);
    expect(breaker.getState()).toBe('open');
    expect(states).toEqual(['open', 'half-open', 'timeout', 'open']);
  });

  it('closes and forgets old failures when the half-open probe succeeds', async () => {
    const clock = createFakeClock();
    const breaker = breakerWith(clock);
    const closes: boolean[] = [];
    breaker.on('close', ({ remote }) => closes.push(remote));
    await trip(breaker);
    await clock.advance(30_000);
    await expect(breaker.execute(() => Promise.resolve('ok'))).resolves.toBe('ok');
    expect(breaker.getState()).toBe('closed');
    expect(closes).toEqual([false]);
    await trip(breaker, 1);
    expect(breaker.getState()).toBe('closed');
    expect(breaker.toSnapshot().window).toEqual({ calls: 1, failures: 1 });
  });

  it('reopens when the half-open probe fails', async () => {
    const clock = createFakeClock();
    const breaker = breakerWith(clock);
    await trip(breaker);
    await clock.advance(30_000);
    await expect(breaker.execute(failing)).rejects.toBeInstanceOf(ExternalServiceError);
    expect(breaker.getState()).toBe('open');
    await clock.advance(29_999);
    expect(breaker.getState()).toBe('open');
  });

  it('aborts only its own call when one call times out', async () => {
    const clock = createFakeClock();
    const breaker = breakerWith(clock, { timeoutMs: 100 });
    const signals: AbortSignal[] = [];
    const slow = ({ signal }: ExecutionContext): Promise<string> => {
      signals.push(signal);
      return hanging<string>();
    };
    let finishSecond: (value: string) => void = () => undefined;
    const first = breaker.execute(slow).catch((error: unknown) => error);
    await clock.advance(50);
    const second = breaker.execute(({ signal }) => {
      signals.push(signal);
      return new Promise<string>((resolve) => {
        finishSecond = resolve;
      });
    });
    await clock.advance(50);
    const error = await first;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(signals[0]?.aborted).toBe(true);
    expect(signals[0]?.reason).toBe(error);
    expect(signals[1]?.aborted).toBe(false);
    finishSecond('delivered');
    await expect(second).resolves.toBe('delivered');
  });

  it('aborts the operation signal when the caller aborts', async () => {
    const breaker = breakerWith(createFakeClock(), { timeoutMs: 1_000 });
    const caller = new AbortController();
    let seen: AbortSignal | undefined;
    const call = breaker.execute(
      ({ signal }) =>
        new Promise<never>((_resolve, reject) => {
          seen = signal;
          signal.addEventListener('abort', () => reject(signal.reason as Error));
        }),
      { signal: caller.signal },
    );
    caller.abort(new DOMException('client went away', 'AbortError'));
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen?.aborted).toBe(true);
    expect(breaker.toSnapshot().window.failures).toBe(0);
  });

  it('times out at the deadline when it comes before the attempt timeout', async () => {
    const clock = createFakeClock();
    const breaker = breakerWith(clock, { timeoutMs: 5_000 });
    let deadline: number | undefined;
    const call = breaker
      .execute(
        (context) => {
          deadline = context.deadline;
          return hanging();
        },
        { deadline: clock.now() + 200 },
      )
      .catch((error: unknown) => error);
    await clock.advance(200);
    expect(await call).toMatchObject({ code: 'TIMEOUT', timeoutMs: 200 });
    expect(deadline).toBe(clock.now());
    await expect(
      breaker.execute(() => Promise.resolve(1), { deadline: clock.now() }),
    ).rejects.toBeInstanceOf(TimeoutError);
  });

  it('times out at a near deadline when an earlier call with the full timeout has settled', async () => {
    const clock = createFakeClock();
    const breaker = breakerWith(clock, { timeoutMs: 5_000 });
    expect(await breaker.execute(() => Promise.resolve('fast'))).toBe('fast');
    const call = breaker
      .execute(() => hanging(), { deadline: clock.now() + 200 })
      .catch((error: unknown) => error);
    await clock.advance(200);
    expect(await call).toMatchObject({ code: 'TIMEOUT', timeoutMs: 200 });
  });

  it('gives a call that fails after the breaker opened while it ran its own error and counts it', async () => {
    const breaker = breakerWith(createFakeClock());
    let failSlow: (error: Error) => void = () => undefined;
    const slow = breaker
      .execute(() => new Promise<never>((_resolve, reject) => (failSlow = reject)))
      .catch((error: unknown) => error);
    await trip(breaker);
    expect(breaker.getState()).toBe('open');
    const failures: unknown[] = [];
    breaker.on('failure', ({ error }) => failures.push(error));
    const own = new ExternalServiceError('twilio', 'answered 502');
    failSlow(own);
    expect(await slow).toBe(own);
    expect(failures).toEqual([own]);
    expect(breaker.toSnapshot().window).toEqual({ calls: 6, failures: 6 });
  });

  it('answers with the fallback or passes an ignored error when an in-flight call fails after the breaker opened', async () => {
    const breaker = breakerWith(createFakeClock(), { fallback: () => 'cached slots' });
    const settle: ((error: Error) => void)[] = [];
    const inFlight = [0, 1].map(() =>
      breaker
        .execute(() => new Promise<never>((_resolve, reject) => settle.push(reject)))
        .catch((error: unknown) => error),
    );
    await trip(breaker);
    expect(breaker.getState()).toBe('open');
    const ignored = new ValidationError('slot id is malformed');
    settle[0]?.(new ExternalServiceError('twilio', 'answered 503'));
    settle[1]?.(ignored);
    expect(await Promise.all(inFlight)).toEqual(['cached slots', ignored]);
    expect(breaker.toSnapshot().window).toEqual({ calls: 7, failures: 6 });
  });

  it('passes ignored errors to the caller without counting them when they are caller errors', async () => {
    const clock = createFakeClock();
    const breaker = breakerWith(clock, { fallback: () => 'fallback' });
    const invalid = new ValidationError('The phone number is invalid.');
    for (let i = 0; i < 10; i += 1) {
      await expect(breaker.execute(() => Promise.reject(invalid))).rejects.toBe(invalid);
    }
    expect(breaker.getState()).toBe('closed');
    expect(breaker.toSnapshot().window).toEqual({ calls: 10, failures: 0 });
    breaker.reset();
    await trip(breaker);
    await clock.advance(30_000);
    await expect(breaker.execute(() => Promise.reject(invalid))).rejects.toBe(invalid);
    expect(breaker.getState()).toBe('half-open');
    await expect(breaker.execute(() => Promise.resolve('ok'))).resolves.toBe('ok');
    expect(breaker.getState()).toBe('closed');
  });

  it('answers with the fallback when a call fails, is rejected or a probe fails', async () => {
    const clock = createFakeClock();
    const breaker = breakerWith(clock, {
      fallback: (error) => (error instanceof CircuitOpenError ? 'cached' : 'default'),
    });
    expect(breaker.hasFallback).toBe(true);
    await expect(breaker.execute(failing)).resolves.toBe('default');
    await trip(breaker);
    await expect(breaker.execute(() => Promise.resolve('live'))).resolves.toBe('cached');
    await clock.advance(30_000);
    await expect(breaker.execute(failing)).resolves.toBe('default');
  });

  it('keeps the process alive only while a call runs and rotates its buckets on a background timer', async () => {
    const clock = createFakeClock();
    const breaker = breakerWith(clock, { timeoutMs: 10_000 });
    let answer: (value: string) => void = () => undefined;
    const call = breaker.execute(() => new Promise<string>((resolve) => (answer = resolve)));
    expect(clock.pendingTimers({ background: false })).toBe(1);
    expect(clock.pendingTimers({ background: true })).toBe(1);
    answer('sent');
    await expect(call).resolves.toBe('sent');
    await clock.advance(0);
    expect(clock.pendingTimers({ background: false })).toBe(0);
    expect(clock.pendingTimers({ background: true })).toBe(1);
  });

  it('restores an open state and its open period from a snapshot', async () => {
    const clock = createFakeClock();
    const source = breakerWith(clock);
    await trip(source);
    const snapshot = JSON.parse(JSON.stringify(source.toSnapshot())) as ReturnType<
      typeof source.toSnapshot
    >;
    expect(snapshot).toEqual({
      state: 'open',
      openUntil: clock.now() + 30_000,
      window: { calls: 5, failures: 5 },
    });
    const restored = breakerWith(clock, { initialState: snapshot });
    await expect(restored.execute(() => Promise.resolve(1))).rejects.toBeInstanceOf(
      CircuitOpenError,
    );
    await clock.advance(30_000);
    await expect(restored.execute(() => Promise.resolve(1))).resolves.toBe(1);
    expect(restored.getState()).toBe('closed');
  });

  it('restores the rolling window so the next failure opens when the snapshot was near the threshold', async () => {
    const breaker = breakerWith(createFakeClock());
    breaker.restore({ state: 'closed', window: { calls: 4, failures: 4 } });
    expect(breaker.getState()).toBe('closed');
    await trip(breaker, 1);
    expect(breaker.getState()).toBe('open');
    breaker.restore({ state: 'half-open', window: { calls: 0, failures: 0 } });
    expect(breaker.getState()).toBe('half-open');
  });

  it('forgets failures older than the rolling window when time passes', async () => {
    const clock = createFakeClock();
    const breaker = breakerWith(clock);
    await trip(breaker, 4);
    await clock.advance(10_000);
    await trip(breaker, 1);
    expect(breaker.getState()).toBe('closed');
    expect(breaker.toSnapshot().window).toEqual({ calls: 1, failures: 1 });
  });

  it('closes on reset and emits close once', async () => {
    const breaker = breakerWith(createFakeClock());
    let closes = 0;
    const off = breaker.on('close', () => {
      closes += 1;
    });
    await trip(breaker);
    breaker.reset();
    breaker.reset();
    off();
    expect(breaker.getState()).toBe('closed');
    expect(closes).toBe(1);
    await expect(breaker.execute(() => Promise.resolve(2))).resolves.toBe(2);
  });

  it('tells other instances when it opens and closes through the state bus', async () => {
    const clock = createFakeClock();
    const bus = memoryBreakerStateBus();
    const a = breakerWith(clock, { stateBus: bus, instanceId: 'a' });
    const b = breakerWith(clock, { stateBus: bus, instanceId: 'b' });
    const other = breakerWith(clock, { name: 'ml-service', stateBus: bus, instanceId: 'c' });
    const remoteOpens: boolean[] = [];
    b.on('open', ({ remote }) => remoteOpens.push(remote));
    await trip(a);
    await clock.advance(0);
    expect(b.getState()).toBe('open');
    expect(other.getState()).toBe('closed');
    expect(remoteOpens).toEqual([true]);
    a.reset();
    await clock.advance(0);
    expect(b.getState()).toBe('half-open');
    b.dispose();
    await trip(a);
    await clock.advance(0);
    expect(a.getState()).toBe('open');
  });

  it('logs state changes and counts outcomes in metrics when calls run', async () => {
    const clock = createFakeClock();
    const counted: Attributes[] = [];
    const meter = {
      createCounter: () => ({
        add: (_value: number, attributes: Attributes) => counted.push(attributes),
      }),
    } as unknown as Meter;
    const warnings: string[] = [];
    const noop = (): void => undefined;
    const logger: Logger = {
      debug: noop,
      info: noop,
      error: noop,
      warn: (fields: unknown, message?: string) => warnings.push(message ?? String(fields)),
      child: () => logger,
    };
    const breaker = breakerWith(clock, { meter, logger, timeoutMs: 10 });
    await breaker.execute(() => Promise.resolve(1));
    const timedOut = breaker.execute(hanging).catch(() => undefined);
    await clock.advance(10);
    await timedOut;
    await trip(breaker);
    await breaker.execute(() => Promise.resolve(1)).catch(() => undefined);
    const outcomes = counted.map((attributes) => attributes.outcome ?? attributes.state);
    expect(outcomes).toEqual(
      expect.arrayContaining(['success', 'timeout', 'failure', 'open', 'rejected']),
    );
    expect(warnings).toContain('circuit opened');
  });

  it('emits success to a listener added after construction when no meter is installed', async () => {
    const breaker = breakerWith(createFakeClock());
    const successes: string[] = [];
    const off = breaker.on('success', ({ breaker: name }) => successes.push(name));
    await breaker.execute(() => Promise.resolve(1));
    off();
    await breaker.execute(() => Promise.resolve(2));
    expect(successes).toEqual(['twilio']);
  });

  it('rejects invalid options when constructed', () => {
    expect(() => createCircuitBreaker({ resetTimeoutMs: -1 })).toThrow(ResilienceConfigError);
    expect(() => createCircuitBreaker({ volumeThreshold: Number.NaN })).toThrow(
      ResilienceConfigError,
    );
  });

  it('refuses every timer duration above 2^31-1 ms when constructed, instead of firing after 1 ms', () => {
    const durations = ['timeoutMs', 'halfOpenTimeoutMs', 'resetTimeoutMs', 'rollingWindowMs'];
    for (const option of durations) {
      for (const ms of [Number.POSITIVE_INFINITY, 2_147_483_648]) {
        expect(() => createCircuitBreaker({ [option]: ms })).toThrow(
          new RegExp(
            `CircuitBreaker options\\.${option} must be a number of milliseconds .*2147483647`,
          ),
        );
      }
    }
  });

  it('refuses errorThresholdPercentage: 500 when constructed (allowed 0..100)', () => {
    expect(() => createCircuitBreaker({ errorThresholdPercentage: 500 })).toThrow(
      'CircuitBreaker options.errorThresholdPercentage must be a number from 0 to 100',
    );
    expect(() => createCircuitBreaker({ errorThresholdPercentage: 100 })).not.toThrow();
  });

  it('refuses a negative or fractional volumeThreshold when constructed', () => {
    for (const volumeThreshold of [-1, 2.5]) {
      expect(() => createCircuitBreaker({ volumeThreshold })).toThrow(
        'CircuitBreaker options.volumeThreshold must be an integer of 0 or more',
      );
    }
  });

  it('refuses rollingBuckets that is not a positive integer or does not divide the window when constructed', () => {
    for (const rollingBuckets of [0, 2.5, Number.NaN]) {
      expect(() => createCircuitBreaker({ rollingBuckets })).toThrow(
        'CircuitBreaker options.rollingBuckets must be an integer of 1 or more',
      );
    }
    expect(() => createCircuitBreaker({ rollingWindowMs: 10_000, rollingBuckets: 3 })).toThrow(
      'CircuitBreaker options.rollingBuckets must divide CircuitBreaker options.rollingWindowMs',
    );
  });

  it('throws ResilienceConfigError, not a raw TypeError, when options is not an object', () => {
    for (const options of [null, 'twilio', 42]) {
      expect(() => createCircuitBreaker(options as never)).toThrow(ResilienceConfigError);
    }
  });
});

describe('isCallerError', () => {
  it('treats 4xx caller errors and aborts as ignored and dependency failures as counted', () => {
    expect(isCallerError(new ValidationError('bad'))).toBe(true);
    expect(isCallerError(new DOMException('stop', 'AbortError'))).toBe(true);
    expect(isCallerError(new ExternalServiceError('twilio', 'down'))).toBe(false);
    expect(isCallerError(new TimeoutError('sms', 10))).toBe(false);
    expect(isCallerError(new Error('boom'))).toBe(false);
  });
});

describe('CircuitBreaker arguments', () => {
  it('CircuitBreaker.execute refuses a non-function operation with a ValidationError that does not count as a failure (a raw TypeError opened the breaker)', async () => {
    const breaker = breakerWith(createFakeClock(), { volumeThreshold: 1 });
    for (const operation of [
      '1969-12-31T23:59:59.999Z',
      null,
      { then: 1 },
      1.7976931348623157e308,
    ]) {
      await expect(breaker.execute(operation as never)).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        issues: [{ path: 'operation' }],
      });
    }
    expect(breaker.getState()).toBe('closed');
    expect(breaker.toSnapshot().window).toEqual({ calls: 0, failures: 0 });
  });

  it('CircuitBreaker.execute succeeds with the value of an operation that returns a plain value instead of a promise (raw TypeError reading then)', async () => {
    for (const timeoutMs of [false, 1_000] as const) {
      const breaker = breakerWith(createFakeClock(), { timeoutMs });
      await expect(breaker.execute((() => 'done') as never)).resolves.toBe('done');
      expect(breaker.getState()).toBe('closed');
    }
  });

  it('CircuitBreaker.on refuses an unknown event or a non-function listener with a ValidationError instead of a raw TypeError', () => {
    const breaker = breakerWith(createFakeClock());
    for (const [event, listener, paths] of [
      [undefined, () => undefined, ['event']],
      ['Zq81LmXv03Pa@example.invalid', () => undefined, ['event']],
      ['open', [], ['listener']],
      [() => undefined, 'Zq81LmXv03Pa', ['event', 'listener']],
    ] as const) {
      let caught: unknown;
      try {
        breaker.on(event as never, listener as never);
      } catch (error: unknown) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ValidationError);
      expect((caught as ValidationError).issues.map((issue) => issue.path)).toEqual(paths);
      expect((caught as ValidationError).message).not.toContain('Zq81LmXv03Pa');
    }
  });

  it('CircuitBreaker.restore refuses a snapshot of the wrong shape with a ValidationError and keeps its state (raw TypeError, or a garbage state accepted)', async () => {
    const breaker = breakerWith(createFakeClock());
    for (const [snapshot, paths] of [
      [null, ['snapshot']],
      ['open', ['snapshot']],
      [{ state: 'open', window: null }, ['snapshot.window']],
      [
        { state: 'ajar', window: { calls: 1, failures: 2 } },
        ['snapshot.state', 'snapshot.window.failures'],
      ],
      [
        { state: 'open', openUntil: Number.NaN, window: { calls: 0, failures: 0 } },
        ['snapshot.openUntil'],
      ],
    ] as const) {
      let caught: unknown;
      try {
        breaker.restore(snapshot as never);
      } catch (error: unknown) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ValidationError);
      expect((caught as ValidationError).issues.map((issue) => issue.path)).toEqual(paths);
    }
    expect(breaker.getState()).toBe('closed');
    await expect(breaker.execute(() => Promise.resolve(1))).resolves.toBe(1);
    expect(() => breakerWith(createFakeClock(), { initialState: { state: 'x' } as never })).toThrow(
      ResilienceConfigError,
    );
  });
});
