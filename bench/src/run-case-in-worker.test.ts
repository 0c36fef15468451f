import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCaseInWorker } from './run-case-in-worker.js';

const fixture = (path: string): string =>
  fileURLToPath(new URL(`../test/fixtures/${path}`, import.meta.url));

const services = { postgres: 'postgres://unused', redis: 'redis://unused' };
const limits = { timeLimitMs: 60_000 };

function request(path: string, id: string) {
  return { file: fixture(path), id, smoke: false, services };
}

// These tests start real Node processes; a busy two-core machine can take seconds for each.
describe('runCaseInWorker', { timeout: 60_000 }, () => {
  it('returns the samples of every measured round when the case runs in the worker', async () => {
    const samples = await runCaseInWorker(
      request('cases/other/delay-samples.ts', 'other.delay.fixed'),
      limits,
    );
    expect(samples).toEqual({
      id: 'other.delay.fixed',
      ours: [1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3],
      peer: null,
    });
  });

  it('passes smoke mode to the case when asked for a smoke run', async () => {
    const samples = await runCaseInWorker(
      { ...request('cases/other/delay-samples.ts', 'other.delay.fixed'), smoke: true },
      limits,
    );
    expect(samples.ours).toEqual([3]);
  });

  it('runs each call in a fresh process of its own', async () => {
    const pidCase = request('worker-cases/pid-samples.ts', 'worker.process.pid');
    const first = await runCaseInWorker(pidCase, limits);
    const second = await runCaseInWorker(pidCase, limits);
    const pids = [...first.ours, ...second.ours];
    expect(pids).toHaveLength(2);
    expect(new Set([...pids, process.pid]).size).toBe(3);
  });

  it('rejects with the stack from the worker when the case throws', async () => {
    const failure = runCaseInWorker(
      request('failing-cases/fake/throws.ts', 'fake.broken.throws'),
      limits,
    );
    await expect(failure).rejects.toThrow('broken on purpose');
    const error = await failure.catch((thrown: unknown) => thrown);
    expect((error as Error).stack).toMatch(/^Error: broken on purpose\n[\s\S]*throws\.ts/);
  });

  it('rejects with the error when the case throws outside its awaited rounds', async () => {
    await expect(
      runCaseInWorker(request('worker-cases/throws-later.ts', 'worker.round.throws-later'), limits),
    ).rejects.toThrow('thrown from a timer');
  });

  it('rejects naming the exit code when the worker exits without reporting', async () => {
    await expect(
      runCaseInWorker(request('worker-cases/exits.ts', 'worker.round.exits'), limits),
    ).rejects.toThrow(
      'The process running worker.round.exits exited with code 3 before reporting; its output is above.',
    );
  });

  it('rejects naming the signal when the worker dies of one without reporting', async () => {
    await expect(
      runCaseInWorker(request('worker-cases/killed.ts', 'worker.round.killed'), limits),
    ).rejects.toThrow('The process running worker.round.killed exited with signal SIGKILL');
  });

  it('kills the worker and rejects when the case outlives the time limit', async () => {
    await expect(
      runCaseInWorker(request('worker-cases/hangs.ts', 'worker.round.hangs'), {
        timeLimitMs: 1_000,
      }),
    ).rejects.toThrow(
      'worker.round.hangs gave no result within 1000 ms (CAREQUEUE_BENCH_CASE_TIMEOUT_MS); its process was killed.',
    );
  });
});
