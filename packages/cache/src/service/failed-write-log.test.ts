import { createFakeClock, silentLogger, type LogFields, type Logger } from '@carequeue/core';
import { describe, expect, it } from 'vitest';
import { emptyCounters } from '../cache-stats.js';
import { CacheRedisError } from '../errors.js';
import { createFailedWriteReporter, FAILED_WRITE_LOG_INTERVAL_MS } from './failed-write-log.js';

describe('createFailedWriteReporter', () => {
  it('counts every failure and logs one line per namespace and interval, with the count it stayed silent about', async () => {
    const clock = createFakeClock();
    const lines: LogFields[] = [];
    const logger: Logger = {
      ...silentLogger,
      warn: (fields) => void lines.push(fields as LogFields),
    };
    const report = createFailedWriteReporter(clock, logger);
    const settings = { namespace: 'clinic-settings', counters: emptyCounters() };
    const schedules = { namespace: 'staff-schedules', counters: emptyCounters() };
    const error = new CacheRedisError('write', { cause: new Error('SET Secret-Key Secret-Value') });
    report(settings, 'write', error);
    report(settings, 'bump', error);
    report(schedules, 'remove', new Error('not typed'));
    await clock.advance(FAILED_WRITE_LOG_INTERVAL_MS);
    report(settings, 'write', error);
    expect(settings.counters.l2WriteFailures).toBe(3);
    expect(lines).toEqual([
      {
        namespace: 'clinic-settings',
        operation: 'write',
        code: 'CACHE_REDIS_FAILED',
        suppressed: 0,
      },
      { namespace: 'staff-schedules', operation: 'remove', code: 'CACHE_FAILED', suppressed: 0 },
      {
        namespace: 'clinic-settings',
        operation: 'write',
        code: 'CACHE_REDIS_FAILED',
        suppressed: 1,
      },
    ]);
    expect(JSON.stringify(lines)).not.toContain('Secret');
  });
});
