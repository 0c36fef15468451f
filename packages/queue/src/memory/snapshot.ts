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
 * One lock per set of memory repositories: units run one after the other so that restoring a
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

/**
 * Runs `work` after the previous unit under `lock`, and restores every tracked repository of
 * `repos` to its state before the unit when `work` rejects. Repositories that are not memory
 * repositories (not tracked) are left to their own transactions.
 *
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
  const run = async (): Promise<T> => {
    const restore = repos.flatMap((repo) => {
      const snapshot = restorers.get(repo);
      return snapshot === undefined ? [] : [snapshot()];
    });
    try {
      return await work();
    } catch (error: unknown) {
      for (const undo of restore) undo();
      throw error;
    }
  };
  const result = lock.tail.then(run, run);
  lock.tail = result.catch(() => undefined);
  return result;
}
