import { spawn, type ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  guardAgainstOrphan,
  killTrackedProcesses,
  killWithTestProcess,
} from './child-processes.js';
import { waitUntil } from './wait-until.js';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function sleeper(): ChildProcess {
  return spawn('sleep', ['300'], { stdio: 'ignore' });
}

describe('killTrackedProcesses', () => {
  it('kills a registered process when called', async () => {
    const child = sleeper();
    killWithTestProcess(child);
    const exited = new Promise((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    killTrackedProcesses();
    expect(await exited).toBe('SIGKILL');
  });
});

describe('guardAgainstOrphan', () => {
  it('kills the child when its parent process disappears', async () => {
    const parent = sleeper();
    const child = sleeper();
    const childPid = child.pid ?? 0;
    const childExited = new Promise((resolve) => child.once('exit', () => resolve(true)));
    guardAgainstOrphan(parent.pid ?? 0, childPid);
    parent.kill('SIGKILL');
    expect(await childExited).toBe(true);
    await waitUntil(() => !isAlive(childPid), { description: 'the orphan to be gone' });
    expect(isAlive(childPid)).toBe(false);
  });
});
