import { createFakeClock, ExternalServiceError } from '@carequeue/core';
import { describe, expect, it } from 'vitest';
import { healthHttpStatus } from './health-json.js';
import { createHealthRegistry } from './health-registry.js';
import { ResilienceConfigError } from '../errors.js';

describe('HealthRegistry', () => {
  it('passes liveness without running any check when dependencies are down', async () => {
    const clock = createFakeClock();
    let runs = 0;
    const health = createHealthRegistry({ clock }).register('database', () => {
      runs += 1;
      throw new Error('down');
    });
    const doc = await health.liveness();
    expect(doc).toEqual({ status: 'pass', checks: {}, time: '2026-01-01T00:00:00.000Z' });
    expect(runs).toBe(0);
  });

  it('fails readiness when a critical check fails and ignores non-critical checks', async () => {
    const clock = createFakeClock();
    const health = createHealthRegistry({ clock })
      .register('database', () => Promise.reject(new ExternalServiceError('postgres', 'refused')))
      .register('twilio', () => Promise.reject(new Error('secret 555-0100')), { critical: false });
    const doc = await health.readiness();
    expect(doc.status).toBe('fail');
    expect(healthHttpStatus(doc.status)).toBe(503);
    expect(Object.keys(doc.checks)).toEqual(['database:responseTime']);
    expect(doc.checks['database:responseTime']?.[0]).toMatchObject({
      componentId: 'database',
      status: 'fail',
      output: '[postgres] refused',
      observedUnit: 'ms',
    });
  });

  it('reports degraded and warn when a non-critical check fails without leaking its message', async () => {
    const clock = createFakeClock();
    const health = createHealthRegistry({ clock })
      .register('database', () => undefined)
      .register('twilio', () => Promise.reject(new Error('secret 555-0100')), {
        critical: false,
        group: 'external_apis',
      })
      .register('ml_service', () => ({ status: 'pass' }), { group: 'external_apis' });
    const report = await health.report();
    expect(report).toEqual({
      status: 'degraded',
      timestamp: '2026-01-01T00:00:00.000Z',
      checks: {
        database: 'healthy',
        external_apis: { twilio: 'unhealthy', ml_service: 'healthy' },
      },
    });
    const doc = await health.toHealthJson();
    expect(doc.status).toBe('warn');
    expect(healthHttpStatus(doc.status)).toBe(200);
    expect(JSON.stringify(doc)).not.toContain('555-0100');
  });

  it('reports warn when a dependency is served by its fallback', async () => {
    const health = createHealthRegistry({ clock: createFakeClock() }).register(
      'ml_service',
      () => ({
        status: 'warn',
        output: 'served by the fallback estimate',
      }),
    );
    const doc = await health.toHealthJson();
    expect(doc.status).toBe('warn');
    expect(doc.checks['ml_service:responseTime']?.[0]?.output).toBe(
      'served by the fallback estimate',
    );
    expect((await health.report()).status).toBe('degraded');
  });

  it('fails a check and aborts its signal when it exceeds its timeout', async () => {
    const clock = createFakeClock();
    let seen: AbortSignal | undefined;
    const health = createHealthRegistry({ clock }).register(
      'database',
      ({ signal }) => {
        seen = signal;
        return new Promise<void>(() => undefined);
      },
      { timeoutMs: 250 },
    );
    const pending = health.readiness();
    await clock.advance(250);
    const doc = await pending;
    expect(doc.status).toBe('fail');
    expect(doc.checks['database:responseTime']?.[0]).toMatchObject({
      output: 'The check did not finish within 250 ms.',
      observedValue: 250,
    });
    expect(seen?.aborted).toBe(true);
  });

  it('keeps the process alive while a check runs and clears its timeout when it answers', async () => {
    const clock = createFakeClock();
    let answer: () => void = () => undefined;
    const health = createHealthRegistry({ clock }).register(
      'database',
      () => new Promise<void>((resolve) => (answer = resolve)),
      { timeoutMs: 5_000 },
    );
    const pending = health.readiness();
    await clock.advance(0);
    expect(clock.pendingTimers({ background: false })).toBe(1);
    answer();
    expect((await pending).status).toBe('pass');
    expect(clock.pendingTimers()).toBe(0);
  });

  it('reuses a cached result until cacheMs elapses when probed repeatedly', async () => {
    const clock = createFakeClock();
    let runs = 0;
    const health = createHealthRegistry({ clock }).register(
      'redis',
      () => {
        runs += 1;
      },
      { cacheMs: 1000 },
    );
    await Promise.all([health.readiness(), health.readiness(), health.report()]);
    await clock.advance(999);
    await health.toHealthJson();
    expect(runs).toBe(1);
    await clock.advance(1);
    await health.readiness();
    expect(runs).toBe(2);
  });

  it('rejects a duplicate name or invalid times when registering', () => {
    const health = createHealthRegistry().register('database', () => undefined);
    expect(() => health.register('database', () => undefined)).toThrow(ResilienceConfigError);
    expect(() => health.register('redis', () => undefined, { timeoutMs: 0 })).toThrow(
      ResilienceConfigError,
    );
  });

  it('throws ResilienceConfigError for a duplicate health check name, a wiring mistake like any other option', () => {
    const health = createHealthRegistry().register('database', () => undefined);
    expect(() => health.register('database', () => undefined)).toThrow(
      'HealthRegistry.register name is already registered',
    );
  });

  it('refuses a check timeoutMs above 2^31-1 ms when registering, instead of failing after 1 ms', () => {
    const health = createHealthRegistry();
    expect(() =>
      health.register('redis', () => undefined, { timeoutMs: Number.POSITIVE_INFINITY }),
    ).toThrow('HealthRegistry.register options.timeoutMs must be a number of milliseconds');
  });

  it('throws ResilienceConfigError, not a raw TypeError, when options is not an object', () => {
    expect(() => createHealthRegistry(null as never)).toThrow(
      'HealthRegistry options must be an object',
    );
    expect(() => createHealthRegistry().register('redis', () => undefined, null as never)).toThrow(
      'HealthRegistry.register options must be an object',
    );
  });
});

describe('HealthRegistry with hostile checks and names', () => {
  it('HealthRegistry.report and toHealthJson answer after register() got a check that returns something other than an outcome, counting it as failing (raw TypeError before)', async () => {
    const health = createHealthRegistry({ clock: createFakeClock() })
      .register('returns-text', (() => 'Zq81LmXv03Pa') as never)
      .register('returns-object', (() => Promise.resolve({ value: 'Zq81LmXv03Pa' })) as never)
      .register('grouped', (() => 42) as never, { group: 'storage' });
    const report = await health.report();
    expect(report.status).toBe('unhealthy');
    expect(report.checks).toEqual({
      'returns-text': 'unhealthy',
      'returns-object': 'unhealthy',
      storage: { grouped: 'unhealthy' },
    });
    const json = await health.toHealthJson();
    expect(json.status).toBe('fail');
    expect(JSON.stringify(json)).not.toContain('Zq81LmXv03Pa');
  });

  it('HealthRegistry.report lists a check grouped under __proto__ as an ordinary key instead of writing to Object.prototype', async () => {
    const health = createHealthRegistry({ clock: createFakeClock() }).register(
      'db',
      () => undefined,
      {
        group: '__proto__',
      },
    );
    const report = await health.report();
    expect(Object.prototype).not.toHaveProperty('db');
    expect(Object.getOwnPropertyNames(report.checks)).toEqual(['__proto__']);
  });

  it('HealthRegistry.register refuses a name, group or componentType that is not a string, a non-boolean critical, or a group named like an ungrouped check, with ResilienceConfigError', () => {
    const health = createHealthRegistry().register('db', () => undefined);
    for (const register of [
      () => health.register({ name: 'x' } as never, () => undefined),
      () => health.register('', () => undefined),
      () => health.register('cache', () => undefined, { group: 7 as never }),
      () => health.register('cache', () => undefined, { componentType: null as never }),
      () => health.register('cache', () => undefined, { critical: 'yes' as never }),
      () => health.register('redis', () => undefined, { group: 'db' }),
    ]) {
      expect(register).toThrow(ResilienceConfigError);
    }
    health.register('replica', () => undefined, { group: 'storage' });
    expect(() => health.register('storage', () => undefined)).toThrow(ResilienceConfigError);
  });
});
