import { uuidv7 } from '@carequeue/core';
import type { SqlExecutor } from '@carequeue/core/sql';
import { describe, expect, it } from 'vitest';
import {
  circularObject,
  expectRefusedBeforeAnyPort,
  hostileValues,
  MARKER,
  recordingPorts,
} from '../../../test/hostile-arguments.js';
import type { NewJob } from '../ports/job-scheduler.js';
import { createJobScheduler } from './job-scheduler.js';

const job: NewJob = {
  tenantId: uuidv7(),
  kind: 'booking.reminder',
  uniqueKey: `booking.reminder:${uuidv7()}`,
  runAt: Date.UTC(2026, 2, 2, 9),
  payload: { appointmentId: uuidv7() },
};

function schedulerWithSpies() {
  const { calls, port } = recordingPorts();
  const scheduler = createJobScheduler({ executor: port<SqlExecutor>('executor'), handlers: {} });
  return { calls, scheduler, tx: port<SqlExecutor>('tx') };
}

describe('JobScheduler arguments', () => {
  it('writes through the transaction when the job is valid (the spies see the call)', async () => {
    const { calls, scheduler, tx } = schedulerWithSpies();
    await expect(scheduler.schedule(tx, job)).rejects.toThrow(/tx.query/);
    expect(calls).toEqual(['tx.query']);
  });

  it('refuses with a ValidationError naming tx, instead of a raw TypeError, a transaction whose query answers no rows', async () => {
    const { scheduler } = schedulerWithSpies();
    for (const answer of [undefined, 'marker', { value: 'marker' }, { rows: 'marker' }]) {
      const tx = { query: () => Promise.resolve(answer) } as unknown as SqlExecutor;
      await expect(scheduler.schedule(tx, job)).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        issues: [{ path: 'tx' }],
      });
    }
  });

  it('refuses a null, circular or malformed job with a ValidationError naming it before any write, including a NUL in the payload that jsonb refuses with a 502', async () => {
    for (const bad of [
      ...hostileValues(),
      { ...job, tenantId: 't1' },
      { ...job, uniqueKey: '' },
      { ...job, runAt: Number.NaN },
      { ...job, runAt: 1e20 },
      { ...job, maxAttempts: 0 },
      { ...job, payload: { note: `${MARKER}\u0000` } },
      { ...job, payload: { nested: circularObject() } },
      { ...job, payload: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i])) },
    ]) {
      const { calls, scheduler, tx } = schedulerWithSpies();
      await expectRefusedBeforeAnyPort(() => scheduler.schedule(tx, bad as NewJob), 'job', calls);
    }
  });

  it('refuses a non-UUID tenant in cancel and a non-string kind in retryDead before any query (a 502 on Postgres)', async () => {
    const { calls, scheduler } = schedulerWithSpies();
    await expectRefusedBeforeAnyPort(() => scheduler.cancel('t1', 'k:1'), 'tenantId', calls);
    await expectRefusedBeforeAnyPort(() => scheduler.retryDead(42 as never), 'kind', calls);
  });
});
