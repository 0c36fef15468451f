import { memoryAuditStore, type AuditEvent } from '@carequeue/audit';
import { sampleAuditEvent } from '@carequeue/audit/testing';
import { describe, expect, it, vi } from 'vitest';
import { trackRows, type Checkpointed } from './snapshot.js';
import { NestedUnitOfWorkError } from './unit-of-work-errors.js';
import { memoryUnits } from './unit-of-work.js';

/** A memory repository of named values whose rows the kit can save and restore. */
function trackedValues() {
  const rows = new Map<string, string>();
  return trackRows(
    {
      rows,
      set: (key: string, value: string) => {
        rows.set(key, value);
        return Promise.resolve();
      },
    },
    rows,
  );
}

/** A repository that saves and restores itself, as the booking repositories do. */
function checkpointedCounter(): Checkpointed & { count: number } {
  const counter = {
    count: 0,
    checkpoint() {
      const saved = counter.count;
      return () => {
        counter.count = saved;
      };
    },
  };
  return counter;
}

/** A promise with its resolve function, to hold a unit open until the test lets it go. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

function auditedStore() {
  const auditStore = memoryAuditStore();
  const append = vi.spyOn(auditStore, 'append');
  return { auditStore, appended: () => append.mock.calls.map(([events]) => events) };
}

describe('memoryUnits', () => {
  it('appends the audit events of a unit in one call when its work resolves', async () => {
    const { auditStore, appended } = auditedStore();
    const values = trackedValues();
    const run = memoryUnits({
      auditStore,
      rollback: [values],
      scope: (recordAudit) => ({ values, recordAudit }),
    });
    const first = sampleAuditEvent({ action: 'create' });
    const second = sampleAuditEvent({ action: 'update' });

    const result = await run(async ({ values: scoped, recordAudit }) => {
      await scoped.set('a', '1');
      await recordAudit(first);
      await recordAudit(second);
      return 'done';
    });

    expect(result).toBe('done');
    expect(appended()).toEqual([[first, second]]);
    expect(values.rows.get('a')).toBe('1');
  });

  it('restores tracked rows and checkpointed repositories and drops the audit when work throws', async () => {
    const { auditStore, appended } = auditedStore();
    const values = trackedValues();
    const counter = checkpointedCounter();
    await values.set('kept', 'before');
    const run = memoryUnits({
      auditStore,
      rollback: [values, counter],
      scope: (recordAudit) => ({ values, counter, recordAudit }),
    });

    await expect(
      run(async (scope) => {
        await scope.values.set('kept', 'after');
        await scope.values.set('added', 'x');
        scope.counter.count += 1;
        await scope.recordAudit(sampleAuditEvent());
        throw new Error('the unit fails');
      }),
    ).rejects.toThrow('the unit fails');

    expect([...values.rows]).toEqual([['kept', 'before']]);
    expect(counter.count).toBe(0);
    expect(appended()).toEqual([]);
  });

  it('rolls the unit back when the audit store refuses its events', async () => {
    const { auditStore } = auditedStore();
    vi.mocked(auditStore.append).mockRejectedValueOnce(new Error('audit store down'));
    const values = trackedValues();
    const run = memoryUnits({
      auditStore,
      rollback: [values],
      scope: (recordAudit) => ({ values, recordAudit }),
    });

    await expect(
      run(async (scope) => {
        await scope.values.set('a', '1');
        await scope.recordAudit(sampleAuditEvent());
      }),
    ).rejects.toThrow('audit store down');
    expect(values.rows.size).toBe(0);
  });

  it('starts a unit only once the unit started before it has settled', async () => {
    const values = trackedValues();
    const run = memoryUnits({
      auditStore: memoryAuditStore(),
      rollback: [values],
      scope: () => values,
    });
    const steps: string[] = [];
    const started = gate();
    const hold = gate();

    const first = run(async () => {
      steps.push('first starts');
      started.open();
      await hold.opened;
      steps.push('first ends');
      throw new Error('first fails');
    });
    const second = run(() => {
      steps.push('second starts');
      return Promise.resolve();
    });
    await started.opened;
    expect(steps).toEqual(['first starts']);
    hold.open();

    await expect(first).rejects.toThrow('first fails');
    await second;
    expect(steps).toEqual(['first starts', 'first ends', 'second starts']);
  });

  it('serialises the units of two units of work that share a repository', async () => {
    const shared = trackedValues();
    const staffUnits = memoryUnits({
      auditStore: memoryAuditStore(),
      rollback: [shared],
      scope: () => shared,
    });
    const invitationUnits = memoryUnits({
      auditStore: memoryAuditStore(),
      rollback: [trackedValues(), shared],
      scope: () => shared,
    });
    const hold = gate();

    const failing = staffUnits(async (values) => {
      await values.set('a', 'from the failing unit');
      await hold.opened;
      throw new Error('rolled back');
    });
    const succeeding = invitationUnits((values) => values.set('b', 'from the other unit'));
    hold.open();

    await expect(failing).rejects.toThrow('rolled back');
    await succeeding;
    // Had the second unit run while the first was open, the first's rollback would have undone it.
    expect([...shared.rows]).toEqual([['b', 'from the other unit']]);
  });

  it('refuses a unit started inside a running unit over the same repositories', async () => {
    const values = trackedValues();
    const run = memoryUnits({
      auditStore: memoryAuditStore(),
      rollback: [values],
      scope: () => values,
    });

    const outer = run(async (scope) => {
      await scope.set('outer', 'written');
      await run((inner) => inner.set('inner', 'written'));
    });

    await expect(outer).rejects.toBeInstanceOf(NestedUnitOfWorkError);
    expect(values.rows.size).toBe(0);
    // The lock is free again: the refusal left no unit waiting.
    await run((scope) => scope.set('after', 'written'));
    expect([...values.rows.keys()]).toEqual(['after']);
  });

  it('lets a unit over other repositories run inside a running unit', async () => {
    const outerValues = trackedValues();
    const innerValues = trackedValues();
    const outerUnits = memoryUnits({
      auditStore: memoryAuditStore(),
      rollback: [outerValues],
      scope: () => outerValues,
    });
    const innerUnits = memoryUnits({
      auditStore: memoryAuditStore(),
      rollback: [innerValues],
      scope: () => innerValues,
    });

    await outerUnits(() => innerUnits((values) => values.set('inner', 'written')));

    expect(innerValues.rows.get('inner')).toBe('written');
  });

  it('does not refuse a unit that a settled unit left scheduled', async () => {
    const values = trackedValues();
    const run = memoryUnits({
      auditStore: memoryAuditStore(),
      rollback: [values],
      scope: () => values,
    });
    let later: (() => Promise<void>) | undefined;

    await run(() => {
      later = () => run((scope) => scope.set('later', 'written'));
      return Promise.resolve();
    });
    await later?.();

    expect(values.rows.get('later')).toBe('written');
  });

  it('lets units interleave and keeps a failed unit writes when no rollback is given', async () => {
    const { auditStore, appended } = auditedStore();
    const values = trackedValues();
    const run = memoryUnits({ auditStore, scope: (recordAudit) => ({ values, recordAudit }) });
    const hold = gate();
    const event: AuditEvent = sampleAuditEvent();

    const open = run(async (scope) => {
      await scope.values.set('open', 'written');
      await scope.recordAudit(event);
      await hold.opened;
      throw new Error('fails late');
    });
    await run((scope) => scope.values.set('meanwhile', 'written'));
    hold.open();

    await expect(open).rejects.toThrow('fails late');
    expect([...values.rows.keys()]).toEqual(['open', 'meanwhile']);
    expect(appended()).toEqual([]);
  });
});
