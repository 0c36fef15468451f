import { randomUUID } from 'node:crypto';
import { ValidationError } from '@carequeue/core';
import { describe, expect, it } from 'vitest';
import { auditSealTaskScenarios } from '../test/support/audit-seal-task-scenarios.js';
import { memoryAuditStore } from './adapters/memory.js';
import { createAuditSealTask } from './audit-seal-task.js';

auditSealTaskScenarios('memory', () => memoryAuditStore());

describe('createAuditSealTask', () => {
  it('seals in batches of 1000 when no batch size is given', async () => {
    const limits: (number | undefined)[] = [];
    const task = createAuditSealTask({
      store: { seal: (_tenantId, limit) => (limits.push(limit), Promise.resolve(0)) },
    });

    await task.run(randomUUID());

    expect(limits).toEqual([1000]);
  });

  it('refuses a tenant id that is not a UUID before the store is called', async () => {
    let calls = 0;
    const task = createAuditSealTask({ store: { seal: () => (calls++, Promise.resolve(0)) } });

    await expect(task.run('tenant-1')).rejects.toBeInstanceOf(ValidationError);
    await expect(task.run('tenant-1')).rejects.toMatchObject({
      issues: [{ path: 'tenantId' }],
    });
    expect(calls).toBe(0);
  });

  it("rejects with the store's error and seals no further batch when a seal call fails", async () => {
    const failure = new Error('connection reset');
    let calls = 0;
    const task = createAuditSealTask({
      store: { seal: () => (calls++, Promise.reject(failure)) },
      batchSize: 5,
    });

    await expect(task.run(randomUUID())).rejects.toBe(failure);
    expect(calls).toBe(1);
  });
});
