import type { SqlExecutor } from '@carequeue/core/sql';
import { describe, expect, it } from 'vitest';
import type { JobHandler, ScheduledJob } from './ports/job-scheduler.js';
import type { MaintenanceTask } from './ports/maintenance-task.js';
import { jobHandlersWithTasks } from './maintenance-task-handlers.js';

const job: ScheduledJob = {
  id: 'j1',
  tenantId: 't1',
  kind: 'audit.seal',
  uniqueKey: 'audit.seal:1',
  payload: { clinicId: 'c1' },
  runAt: 0,
  attempt: 1,
};
const context = { tx: {} as SqlExecutor, now: 0 };

describe('jobHandlersWithTasks', () => {
  it("runs a task for the job's tenant when its kind is due", async () => {
    const ran: string[] = [];
    const task: MaintenanceTask = { run: (tenantId) => Promise.resolve(ran.push(tenantId)) };

    await jobHandlersWithTasks({}, { 'audit.seal': task })['audit.seal']?.(job, context);

    expect(ran).toEqual(['t1']);
  });

  it('keeps the handlers as given beside the tasks', () => {
    const handler: JobHandler = () => Promise.resolve();
    const handlers = jobHandlersWithTasks(
      { 'booking.no-show': handler },
      { 'audit.seal': { run: () => Promise.resolve() } },
    );

    expect(Object.keys(handlers).sort()).toEqual(['audit.seal', 'booking.no-show']);
    expect(handlers['booking.no-show']).toBe(handler);
  });

  it("rejects with the task's error, so the job is retried", async () => {
    const failure = new Error('store unavailable');
    const handlers = jobHandlersWithTasks(
      {},
      { 'audit.seal': { run: () => Promise.reject(failure) } },
    );

    await expect(handlers['audit.seal']?.(job, context)).rejects.toBe(failure);
  });
});
