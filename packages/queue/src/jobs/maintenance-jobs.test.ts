import { describe, expect, it } from 'vitest';
import type { ScheduledJob } from './ports/job-scheduler.js';
import { auditSealJob, holdExpiryJob, MAINTENANCE_JOBS, noShowJob } from './maintenance-jobs.js';

const job = (kind: string, payload: ScheduledJob['payload'] = {}): ScheduledJob => ({
  id: 'j1',
  tenantId: 't1',
  kind,
  uniqueKey: `${kind}:1`,
  payload,
  runAt: 0,
  attempt: 1,
});
const context = { tx: {} as never, now: 0 };

describe('maintenance jobs', () => {
  it('seals batch after batch until a batch is not full', async () => {
    const answers = [3, 3, 1];
    const calls: [string, number | undefined][] = [];
    const handler = auditSealJob({
      store: {
        seal: (tenantId, limit) => {
          calls.push([tenantId, limit]);
          return Promise.resolve(answers.shift() ?? 0);
        },
      },
      batchSize: 3,
    });

    await handler(job(MAINTENANCE_JOBS.auditSeal), context);

    expect(calls).toEqual([
      ['t1', 3],
      ['t1', 3],
      ['t1', 3],
    ]);
  });

  it("runs the clinic's no-show sweep for the job's tenant", async () => {
    const swept: string[] = [];
    const handler = noShowJob({
      markNoShows: (tenantId, clinicId) => Promise.resolve(swept.push(`${tenantId}/${clinicId}`)),
    });

    await handler(job(MAINTENANCE_JOBS.noShow, { clinicId: 'c1' }), context);

    expect(swept).toEqual(['t1/c1']);
  });

  it("sweeps the clinic's lapsed holds for the job's tenant", async () => {
    const swept: string[] = [];
    const handler = holdExpiryJob({
      expireLapsedHolds: (tenantId, clinicId) =>
        Promise.resolve(swept.push(`${tenantId}/${clinicId}`)),
    });

    await handler(job(MAINTENANCE_JOBS.holdExpiry, { clinicId: 'c1' }), context);

    expect(swept).toEqual(['t1/c1']);
  });
});
