import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from './workspace.js';

function read(file: string): string {
  return readFileSync(join(repositoryRoot, file), 'utf8');
}

/** The shell commands of the README's fenced `sh` blocks, in order. */
function readmeCommands(): string[] {
  return [...read('README.md').matchAll(/```sh\n([^`]+)```/g)].map((match) =>
    (match[1] ?? '').trim(),
  );
}

describe('repository files', () => {
  it('leads the README with the demo command and then the test command', () => {
    const [demo, test] = readmeCommands();
    expect(demo).toMatch(/pnpm start$/);
    expect(test).toMatch(/&& pnpm test$/);
  });

  it('checks the Node version, then installs from the lockfile, in pnpm start and pnpm test', () => {
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> })
      .scripts;
    for (const name of ['start', 'test', 'setup']) {
      expect(scripts[name], name).toMatch(
        /^node scripts\/check-node-version\.mjs && pnpm install --frozen-lockfile/,
      );
    }
  });

  it('runs the suite on Node 24 in CI, and the unit suites on Node 22 and 26', () => {
    const ci = read('.ci/run');
    for (const step of [
      'sh scripts/install-node.sh 24',
      'sh scripts/install-node.sh 22',
      'sh scripts/install-node.sh 26',
      'pnpm test:unit',
    ]) {
      expect(ci, step).toContain(step);
    }
    expect(read('scripts/install-node.sh')).toMatch(/24\) version=24\.\d+\.\d+/);
  });

  it('runs exactly the README test command in CI, with services required', () => {
    const ci = read('.ci/run');
    const [, test] = readmeCommands();
    expect(ci).toContain('export CAREQUEUE_REQUIRE_SERVICES=1');
    expect(ci.split('\n').map((line) => line.trim())).toContain(test);
    expect(ci.indexOf('CAREQUEUE_REQUIRE_SERVICES=1')).toBeLessThan(ci.indexOf(test ?? ''));
  });

  it('makes CI start PostgreSQL, Redis and the Redis Cluster, and run the export, release, docs and audit checks', () => {
    const ci = read('.ci/run');
    for (const step of [
      'pg_ctlcluster --skip-systemctl-redirect',
      'redis-server --daemonize yes',
      'scripts/start-redis-cluster.sh',
      'pnpm check:exports',
      'pnpm release:dry',
      'pnpm run docs',
      'pnpm audit --prod',
    ]) {
      expect(ci, step).toContain(step);
    }
  });

  it('ships an OSI licence and a security policy that says how to report', () => {
    expect(read('LICENSE')).toContain('Apache License');
    expect(read('SECURITY.md')).toMatch(/## Reporting a vulnerability/);
  });

  it('builds the API docs into docs/api with warnings treated as errors', () => {
    const config = read('typedoc.config.mjs');
    expect(config).toContain("out: 'docs/api'");
    expect(config).toContain('treatWarningsAsErrors: true');
  });

  it('runs lint, type-check, the API report check, tests and the benchmark smoke run in pnpm test', () => {
    const pipeline = read('scripts/test-all.mjs');
    const steps = [
      "'lint'",
      "'typecheck'",
      "'api:check'",
      "'check:browser'",
      "'--smoke'",
      "'test'",
    ];
    for (const step of steps) {
      expect(pipeline, step).toContain(step);
    }
  });
});
