import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ResultsFile } from './results-file.js';
import { runBenchCommand, type BenchEnvironment } from './run-bench-command.js';
import { runCaseInWorker } from './run-case-in-worker.js';
import { runCase } from './run-case.js';

const fixtures = (name: string): string =>
  fileURLToPath(new URL(`../test/fixtures/${name}/`, import.meta.url));

async function environment(casesDir = fixtures('cases')) {
  const lines: string[] = [];
  const resultsDir = await mkdtemp(join(tmpdir(), 'carequeue-bench-run-'));
  const env: BenchEnvironment = {
    casesDir,
    resultsDir,
    services: { postgres: 'postgres://unused', redis: 'redis://unused' },
    probeMachine: () =>
      Promise.resolve({
        cpus: 2,
        node: 'v20.20.2',
        v8: '11.3.244.8-node.38',
        postgres: null,
        redis: null,
      }),
    readVersions: () => Promise.resolve({ peer: '1.0.0' }),
    log: (line) => lines.push(line),
    now: () => new Date('2026-11-25T18:00:00.000Z'),
    // In process, so that these tests cover the command without starting workers.
    runCase: ({ benchCase }, context) => runCase(benchCase, context),
  };
  return { env, lines, resultsDir };
}

async function readJson(resultsDir: string): Promise<ResultsFile> {
  return JSON.parse(await readFile(join(resultsDir, 'latest.json'), 'utf8')) as ResultsFile;
}

describe('runBenchCommand', () => {
  it('runs every fake case once and writes nothing when in smoke mode', async () => {
    const { env, lines, resultsDir } = await environment();
    expect(await runBenchCommand(['--smoke'], env)).toBe(0);
    expect(lines.filter((line) => line.startsWith('ok '))).toEqual([
      expect.stringMatching(/^ok fake\.math\.sum: ours [\d.e+-]+ ns\/op, peer [\d.e+-]+ \(ratio/),
      expect.stringMatching(/^ok fake\.promise\.resolve: ours [\d.e+-]+ ops\/s, peer/),
      'ok other.delay.fixed: ours 3 ms',
    ]);
    expect(await readdir(resultsDir)).toEqual([]);
  });

  it('writes results of every case with medians, p99s and ratios when run in full', async () => {
    const { env, resultsDir } = await environment();
    expect(await runBenchCommand([], env)).toBe(0);
    const results = await readJson(resultsDir);
    expect(results.when).toBe('2026-11-25T18:00:00.000Z');
    expect(results.versions).toEqual({ peer: '1.0.0' });
    expect(results.cases.map((c) => c.id)).toEqual([
      'fake.math.sum',
      'fake.promise.resolve',
      'other.delay.fixed',
    ]);
    const [sum, , delay] = results.cases;
    // The ratio keeps 3 significant digits and the medians 4, so they agree to within 1%
    // of the ratio, whatever its size (an absolute tolerance fails once the ratio passes 1).
    const ratioOfMedians = (sum?.ours ?? 0) / (sum?.peer ?? 1);
    expect(Math.abs((sum?.ratio ?? 0) - ratioOfMedians)).toBeLessThanOrEqual(ratioOfMedians * 0.01);
    expect(sum?.ourP99).toBeGreaterThanOrEqual(sum?.ours ?? Number.POSITIVE_INFINITY);
    expect(delay).toMatchObject({ ours: 2, ourP99: 3, peer: null, ratio: null, peerName: null });
    expect(await readFile(join(resultsDir, 'latest.md'), 'utf8')).toContain(
      '| other.delay.fixed |',
    );
  });

  it('merges a suite run into the previous results keeping other suites when given a suite', async () => {
    const { env, resultsDir } = await environment();
    const absolute = { peer: null, peerP99: null, peerName: null, ratio: null, target: null };
    const stale = { id: 'fake.old.gone', unit: 'ms', better: 'lower', ours: 1, ourP99: 1 };
    const kept = { id: 'core.id.uuidv7', unit: 'ns/op', better: 'lower', ours: 300, ourP99: 400 };
    const previous = [kept, stale].map((entry) => ({ ...entry, ...absolute, notes: '' }));
    await writeFile(
      join(resultsDir, 'latest.json'),
      JSON.stringify({
        when: 'then',
        machine: {},
        versions: { uuid: '14.0.3' },
        cases: previous,
      }),
    );
    expect(await runBenchCommand(['fake'], env)).toBe(0);
    const results = await readJson(resultsDir);
    expect(results.cases.map((c) => c.id)).toEqual([
      'core.id.uuidv7',
      'fake.math.sum',
      'fake.promise.resolve',
    ]);
    expect(results.cases[0]).toEqual(previous[0]);
    expect(results.versions).toEqual({ uuid: '14.0.3', peer: '1.0.0' });
  });

  it('prints a stability report for each case when repeating the selection', async () => {
    const { env, lines } = await environment();
    expect(await runBenchCommand(['other', '--repeat', '3'], env)).toBe(0);
    expect(lines.filter((line) => line.startsWith('running'))).toEqual([
      'running other.delay.fixed (repeat 1/3)',
      'running other.delay.fixed (repeat 2/3)',
      'running other.delay.fixed (repeat 3/3)',
    ]);
    expect(lines).toContain('stable   other.delay.fixed: ours spread 0.0% (medians 2, 2, 2)');
    expect(lines.at(-1)).toBe('All 1 case(s) agree within 10% across repeats.');
  });

  it('reports the failing case and exits 1 when a case throws, still running the others', async () => {
    const { env, lines } = await environment(fixtures('failing-cases'));
    expect(await runBenchCommand(['--smoke'], env)).toBe(1);
    expect(lines).toContainEqual(expect.stringMatching(/^ok fake\.math\.sum:/));
    expect(lines).toContainEqual(
      expect.stringMatching(/^FAILED fake\.broken\.throws: Error: broken on purpose/),
    );
  });

  it('leaves failed cases out of the written results when a full run has failures', async () => {
    const { env, resultsDir } = await environment(fixtures('failing-cases'));
    expect(await runBenchCommand([], env)).toBe(1);
    expect((await readJson(resultsDir)).cases.map((c) => c.id)).toEqual(['fake.math.sum']);
  });

  it('hands each repeat of each case to runCase with its module file and context', async () => {
    const { env } = await environment();
    const calls: string[] = [];
    const recording: BenchEnvironment = {
      ...env,
      runCase: (found, context) => {
        calls.push(`${found.id} ${found.file} ${context.smoke} ${context.services.redis}`);
        return env.runCase(found, context);
      },
    };
    expect(await runBenchCommand(['other', '--repeat', '2'], recording)).toBe(0);
    const file = join(fixtures('cases'), 'other', 'delay-samples.ts');
    expect(calls).toEqual([
      `other.delay.fixed ${file} false redis://unused`,
      `other.delay.fixed ${file} false redis://unused`,
    ]);
  });

  it('reports a case whose runCase rejects and runs it no more when repeating, others still run', async () => {
    const { env, lines } = await environment();
    const ran: string[] = [];
    const crashing: BenchEnvironment = {
      ...env,
      runCase: (found, context) => {
        ran.push(found.id);
        return found.id === 'fake.math.sum'
          ? Promise.reject(new Error('The process running fake.math.sum exited with code 3'))
          : env.runCase(found, context);
      },
    };
    expect(await runBenchCommand(['fake', '--repeat', '2'], crashing)).toBe(1);
    expect(ran).toEqual(['fake.math.sum', 'fake.promise.resolve', 'fake.promise.resolve']);
    expect(lines).toContainEqual(
      expect.stringMatching(/^FAILED fake\.math\.sum: Error: The process running .* code 3/),
    );
  });

  it('reports the stack from the worker when a case throws in a worker process', async () => {
    const { env, lines } = await environment(fixtures('failing-cases'));
    const isolated: BenchEnvironment = {
      ...env,
      runCase: ({ id, file }, context) =>
        runCaseInWorker({ id, file, ...context }, { timeLimitMs: 60_000 }),
    };
    expect(await runBenchCommand(['--smoke'], isolated)).toBe(1);
    expect(lines).toContainEqual(expect.stringMatching(/^ok fake\.math\.sum: ours [\d.e+-]+ ns/));
    const failure = lines.find((line) => line.startsWith('FAILED fake.broken.throws: '));
    expect(failure).toMatch(/^FAILED fake\.broken\.throws: Error: broken on purpose\n\s+at /);
    expect(failure).toContain('throws.ts');
  });

  it('prints usage and exits 2 when the arguments are malformed', async () => {
    const { env, lines } = await environment();
    expect(await runBenchCommand(['--fast'], env)).toBe(2);
    expect(lines[0]).toMatch(/--fast.*usage: pnpm bench/);
    expect(await runBenchCommand(['--repeat', 'x'], env)).toBe(2);
    expect(lines[1]).toMatch(/--repeat must be a whole number/);
  });

  it('exits 2 naming the known suites when the suite has no cases', async () => {
    const { env, lines } = await environment();
    expect(await runBenchCommand(['cache'], env)).toBe(2);
    expect(lines[0]).toMatch(/No case id starts with "cache\."/);
  });
});
