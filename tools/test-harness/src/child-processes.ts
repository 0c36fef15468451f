import { spawn, type ChildProcess } from 'node:child_process';

const tracked = new Set<ChildProcess>();
let exitHooksInstalled = false;

// Polls both pids once a second; when the test process is gone (even after SIGKILL, when no
// exit hook can run), it kills the private server so no orphan keeps a port or a data directory.
const WATCHDOG_SCRIPT =
  'while kill -0 "$0" 2>/dev/null && kill -0 "$1" 2>/dev/null; do sleep 1; done; kill -9 "$1" 2>/dev/null';

/**
 * Makes sure `child` dies with the test process: on normal exit, on SIGINT/SIGTERM/SIGHUP and,
 * through a detached watchdog, when the test process is killed outright.
 *
 * @example
 * ```ts
 * const child = spawn('redis-server', ['--port', '0']);
 * killWithTestProcess(child);
 * ```
 */
export function killWithTestProcess(child: ChildProcess): void {
  if (child.pid === undefined) return;
  installExitHooks();
  tracked.add(child);
  child.once('exit', () => tracked.delete(child));
  guardAgainstOrphan(process.pid, child.pid);
}

/**
 * Starts a detached watchdog that kills `childPid` once `parentPid` is gone.
 *
 * @example
 * ```ts
 * guardAgainstOrphan(process.pid, server.pid);
 * ```
 */
export function guardAgainstOrphan(parentPid: number, childPid: number): void {
  const watchdog = spawn('sh', ['-c', WATCHDOG_SCRIPT, String(parentPid), String(childPid)], {
    detached: true,
    stdio: 'ignore',
  });
  watchdog.unref();
}

/**
 * Kills every process registered with {@link killWithTestProcess} that is still running.
 *
 * @example
 * ```ts
 * killTrackedProcesses();
 * ```
 */
export function killTrackedProcesses(): void {
  for (const child of tracked) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  tracked.clear();
}

function installExitHooks(): void {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.on('exit', killTrackedProcesses);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killTrackedProcesses();
      // Without other listeners, the default action (terminating) must still happen.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }
}
