import { AsyncLocalStorage } from 'node:async_hooks';
import { NestedUnitOfWorkError } from './unit-of-work-errors.js';

// Memory repositories register how to copy and restore their rows here, so the memory units of
// work can undo every write of a unit that fails, as a rolled-back SQL transaction would.
const restorers = new WeakMap<object, () => () => void>();

/**
 * Registers `rows` (and any further maps the repository keeps) as the state of the memory
 * repository `repo`, so {@link runAtomically} can restore it. Stored values are replaced on
 * write, never mutated, so a shallow copy suffices.
 *
 * @example
 * ```ts
 * const rows = new Map<string, Staff>();
 * return trackRows(repo, rows);
 * ```
 */
export function trackRows<R extends object>(
  repo: R,
  rows: Map<string, unknown>,
  ...moreRows: Map<string, unknown>[]
): R {
  const tables = [rows, ...moreRows];
  restorers.set(repo, () => {
    const copies = tables.map((table) => new Map(table));
    return () => {
      tables.forEach((table, index) => {
        table.clear();
        for (const [key, value] of copies[index] as Map<string, unknown>) table.set(key, value);
      });
    };
  });
  return repo;
}

/**
 * A memory repository that saves and restores its own state, as the booking repositories do:
 * `checkpoint()` remembers the current state and returns the function that brings it back.
 *
 * @example
 * ```ts
 * const restore = appointments.checkpoint();
 * restore();
 * ```
 */
export interface Checkpointed {
  checkpoint(): () => void;
}

function isCheckpointed(repo: object): repo is Checkpointed {
  return typeof (repo as Partial<Checkpointed>).checkpoint === 'function';
}

/** How to save `repo` now, as a function that restores the save; none for a repository we cannot save. */
function snapshotOf(repo: object): (() => () => void) | undefined {
  const tracked = restorers.get(repo);
  if (tracked !== undefined) return tracked;
  return isCheckpointed(repo) ? () => repo.checkpoint() : undefined;
}

/**
 * A queue of units: each unit waits for the units queued before it. A unit of work has one, and
 * so does every repository it can roll back, so that two units of work sharing a repository (the
 * staff of the staff and the invitation units) never run over it at the same time: restoring a
 * failed unit cannot undo the writes of another.
 *
 * @example
 * ```ts
 * const lock = memoryLock();
 * await runAtomically(lock, [staff, invitations], () => work(scope));
 * ```
 */
export interface MemoryLock {
  tail: Promise<unknown>;
}

/**
 * A new {@link MemoryLock}.
 *
 * @example
 * ```ts
 * const lock = memoryLock();
 * ```
 */
export function memoryLock(): MemoryLock {
  return { tail: Promise.resolve() };
}

const repositoryLocks = new WeakMap<object, MemoryLock>();

function lockOf(repo: object): MemoryLock {
  let lock = repositoryLocks.get(repo);
  if (lock === undefined) {
    lock = memoryLock();
    repositoryLocks.set(repo, lock);
  }
  return lock;
}

/** A unit that has started and not settled yet, with the locks it holds. */
interface RunningUnit {
  readonly locks: ReadonlySet<MemoryLock>;
  running: boolean;
}

// The units running around the current call, so that a unit started inside one of them over the
// same locks is refused: queued, it would wait for the unit that waits for it.
const enclosingUnits = new AsyncLocalStorage<readonly RunningUnit[]>();

/**
 * Runs `work` once every unit queued before it on `lock` or on any repository of `repos` has
 * settled, and restores each repository of `repos` that can be saved (rows registered with
 * {@link trackRows}, or a {@link Checkpointed} repository) to its state before the unit when
 * `work` rejects. Other repositories are left to their own transactions. All the locks are taken
 * at once, in the order units are started, so units over overlapping repositories cannot wait
 * for each other in a circle.
 *
 * @throws {@link NestedUnitOfWorkError} (as a rejection) when called inside a running unit that
 * holds one of the same locks.
 * @example
 * ```ts
 * await runAtomically(lock, [staff, schedules], async () => {
 *   await staff.insert(member);
 *   throw new Error('nothing of this unit stays');
 * });
 * ```
 */
export function runAtomically<T>(
  lock: MemoryLock,
  repos: readonly object[],
  work: () => Promise<T>,
): Promise<T> {
  const locks = new Set([lock, ...repos.map(lockOf)]);
  const enclosing = enclosingUnits.getStore() ?? [];
  if (enclosing.some((unit) => unit.running && [...locks].some((held) => unit.locks.has(held)))) {
    return Promise.reject(new NestedUnitOfWorkError());
  }
  const unit: RunningUnit = { locks, running: false };
  const run = async (): Promise<T> => {
    unit.running = true;
    const restore = repos.flatMap((repo) => {
      const snapshot = snapshotOf(repo);
      return snapshot === undefined ? [] : [snapshot()];
    });
    try {
      return await enclosingUnits.run([...enclosing, unit], work);
    } catch (error: unknown) {
      for (const undo of restore) undo();
      throw error;
    } finally {
      unit.running = false;
    }
  };
  const result = Promise.all([...locks].map((held) => held.tail)).then(run);
  const settled = result.catch(() => undefined);
  for (const held of locks) held.tail = settled;
  return result;
}
