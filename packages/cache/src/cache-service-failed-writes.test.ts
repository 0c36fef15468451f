import { createFakeClock, type LogFields, type Logger } from '@carequeue/core';
import { describe, expect, it } from 'vitest';
import { memoryCacheStore } from './adapters/memory-store.js';
import { createCacheService } from './cache-service.js';
import type { CacheStore } from './cache-store.js';
import { CacheRedisError } from './errors.js';

const TENANT = 'tenant-Failing-Writes-1';
const KEY_ID = 'Key-Never-Logged-42';
const VALUE = 'Value-Never-Logged-42';

/** A logger that keeps every line it is given, as JSON, per level. */
function recordingLogger() {
  const lines: { level: string; fields: LogFields; message: string | undefined }[] = [];
  const at =
    (level: string) =>
    (fields: LogFields | string, message?: string): void => {
      lines.push(
        typeof fields === 'string'
          ? { level, fields: {}, message: fields }
          : { level, fields, message },
      );
    };
  const logger: Logger = {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: () => logger,
  };
  return { logger, lines };
}

/** A store whose writes, deletions and invalidations all fail, as Redis does while it is down. */
function rejectingStore(): CacheStore {
  const down = (): Promise<never> =>
    Promise.reject(new CacheRedisError('write', { cause: new Error(`SET ${KEY_ID} ${VALUE}`) }));
  return { ...memoryCacheStore(), write: down, remove: down, bump: down };
}

function failingCache() {
  const clock = createFakeClock();
  const { logger, lines } = recordingLogger();
  const cache = createCacheService({
    clock,
    logger,
    store: rejectingStore(),
    tenant: () => TENANT,
  });
  return { cache, clock, lines };
}

describe('createCacheService', () => {
  it('logs the namespace and error code, counts the failure and still resolves when the store rejects a write (silent failed L2 writes)', async () => {
    const { cache, lines } = failingCache();
    await expect(cache.set(`clinic-settings:${KEY_ID}`, VALUE)).resolves.toBeUndefined();
    expect(cache.stats().namespaces['clinic-settings']).toMatchObject({
      l2WriteFailures: 1,
      errors: 1,
    });
    expect(lines).toEqual([
      {
        level: 'warn',
        fields: {
          namespace: 'clinic-settings',
          operation: 'write',
          code: 'CACHE_REDIS_FAILED',
          suppressed: 0,
        },
        message: expect.stringContaining('could not write to its shared tier') as unknown,
      },
    ]);
    const logged = JSON.stringify(lines);
    for (const secret of [TENANT, KEY_ID, VALUE]) expect(logged).not.toContain(secret);
  });

  it('counts failed deletions and invalidations as failed writes when the store rejects them', async () => {
    const { cache, lines } = failingCache();
    await expect(cache.delete(`queue-summaries:${KEY_ID}`)).resolves.toBeUndefined();
    await expect(cache.invalidate('queue-summaries:*')).resolves.toBeUndefined();
    expect(cache.stats().namespaces['queue-summaries']?.l2WriteFailures).toBe(2);
    expect(lines.map((line) => line.fields['operation'])).toEqual(['remove']);
  });

  it('logs once per namespace per interval and reports how many it held back when failures keep coming', async () => {
    const { cache, clock, lines } = failingCache();
    for (let i = 0; i < 3; i += 1) await cache.set(`clinic-settings:k${i}`, i);
    await cache.set('staff-schedules:week', 1);
    expect(lines.map((line) => line.fields['namespace'])).toEqual([
      'clinic-settings',
      'staff-schedules',
    ]);
    await clock.advance(10_000);
    await cache.set('clinic-settings:k3', 3);
    expect(lines).toHaveLength(3);
    expect(lines[2]?.fields).toMatchObject({ namespace: 'clinic-settings', suppressed: 2 });
    expect(cache.stats().namespaces['clinic-settings']?.l2WriteFailures).toBe(4);
  });

  it('logs the generic cache code when the store throws something that is not a CareQueue error', async () => {
    const { logger, lines } = recordingLogger();
    const store: CacheStore = {
      ...memoryCacheStore(),
      write: () => Promise.reject(new Error(`raw driver error quoting ${KEY_ID}`)),
    };
    const cache = createCacheService({ logger, store, tenant: () => TENANT });
    await cache.set(`clinic-settings:${KEY_ID}`, VALUE);
    expect(lines[0]?.fields['code']).toBe('CACHE_FAILED');
    expect(JSON.stringify(lines)).not.toContain(KEY_ID);
  });

  it('counts in sets only the writes the shared tier accepted: not one it rejected, nor one it skipped because an invalidation raced the factory (sets counted both)', async () => {
    const { cache } = failingCache();
    await cache.set(`clinic-settings:${KEY_ID}`, VALUE);
    await cache.getOrSet(`clinic-settings:${KEY_ID}-2`, () => VALUE);
    expect(cache.stats().namespaces['clinic-settings']).toMatchObject({
      sets: 0,
      l2WriteFailures: 2,
    });

    const store = memoryCacheStore();
    const raced = createCacheService({ store, tenant: () => TENANT });
    let finish: (value: string) => void = () => undefined;
    const loading = raced.getOrSet(
      'clinic-settings:raced',
      () => new Promise<string>((resolve) => (finish = resolve)),
    );
    await Promise.resolve();
    await raced.invalidate('clinic-settings:*');
    finish(VALUE);
    await loading;
    await raced.set('clinic-settings:accepted', VALUE);
    expect(raced.stats().namespaces['clinic-settings']?.sets).toBe(1);
  });
});
