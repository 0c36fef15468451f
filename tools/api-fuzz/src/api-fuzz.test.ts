import { createPgliteExecutor } from '@carequeue/core/sql';
import { useTestPglite } from '@carequeue/test-harness';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callableTarget } from './callable-target.js';
import { factoryRoles } from './fixtures/index.js';
import { fuzzMethod } from './fuzz-method.js';
import { fuzzSettingsFromEnv } from './fuzz-settings.js';
import { KNOWN_GAPS } from './known-gaps.js';
import type { FactoryFixture, FuzzBackend, FuzzTarget } from './fuzz-target.js';
import { publicFactories, publicMethods, type PublicFactory } from './public-surface.js';

const settings = fuzzSettingsFromEnv(process.env);
const factories = await publicFactories();

/** At most this many failures are printed per method; the count says how many there were. */
const FAILURES_SHOWN = 8;

/** Failures of methods in {@link KNOWN_GAPS}, printed once the file has run. */
const gapReports = new Map<string, number>();

/**
 * The failures of the method fuzzed as `key` that fail the run: none for a known gap (recorded
 * for the summary instead).
 */
function failuresThatCount(key: string, failures: readonly string[]): readonly string[] {
  if (!KNOWN_GAPS.has(key)) return failures;
  gapReports.set(key, failures.length);
  return [];
}

/** Fuzzes each method of `target` in turn (`lifecycle` ones last) and lists what failed. */
async function fuzzAllMethods(
  target: FuzzTarget,
  label: string,
  lifecycle: readonly string[] = [],
): Promise<string[]> {
  const methods = publicMethods(target.instance);
  expect(methods.length, `${label} has no methods to fuzz`).toBeGreaterThan(0);
  const ordered = [
    ...methods.filter((name) => !lifecycle.includes(name)),
    ...methods.filter((name) => lifecycle.includes(name)),
  ];
  const failures: string[] = [];
  for (const method of ordered) {
    const report = await fuzzMethod(target, method, `${label} ${method}`, settings);
    expect(report.calls).toBe(settings.runs);
    const counted = failuresThatCount(`${label} ${method}`, report.failures);
    if (counted.length > 0) {
      failures.push(
        `${counted.length} failures in ${label} ${method}`,
        ...counted.slice(0, FAILURES_SHOWN),
      );
    }
  }
  return failures;
}

describe('public API surface', () => {
  it('has a role (fixture, function or port) for every exported factory and class', () => {
    const missing = factories
      .filter((factory) => factoryRoles[factory.name] === undefined)
      .map((factory) => `${factory.entryPoint}: ${factory.name}`);
    expect(missing, 'exported factories with no role').toEqual([]);
    const stale = Object.keys(factoryRoles).filter(
      (name) => !factories.some((factory) => factory.name === name),
    );
    expect(stale, 'roles of names no package exports').toEqual([]);
  });

  it('reaches every port through a service fixture that uses it, or says why not', () => {
    const unreached = Object.entries(factoryRoles).flatMap(([name, role]) => {
      if (role.kind !== 'port') return [];
      const unknown = role.usedBy.filter((user) => factoryRoles[user]?.kind !== 'service');
      if (unknown.length > 0) {
        return [`${name}: usedBy names no service fixture: ${unknown.join(', ')}`];
      }
      return role.usedBy.length === 0 && !role.reason
        ? [`${name}: no service uses it and no reason is given`]
        : [];
    });
    expect(unreached).toEqual([]);
  });
});

describe('public API fuzz', () => {
  const pglite = useTestPglite();
  const originalDirectory = process.cwd();
  // Factories given hostile paths (spools, archive sinks) must not write into the repository.
  const scratch = mkdtempSync(join(tmpdir(), 'carequeue-api-fuzz-'));

  beforeAll(() => {
    process.chdir(scratch);
    console.log(
      `api-fuzz: seed ${settings.seed}, ${settings.runs} calls per method; replay with CAREQUEUE_FUZZ_SEED=${settings.seed} CAREQUEUE_FUZZ_RUNS=${settings.runs}`,
    );
  });
  afterAll(() => {
    const failing = [...gapReports].filter(([, count]) => count > 0);
    const fixed = [...KNOWN_GAPS].filter((key) => gapReports.get(key) === 0);
    console.log(
      `api-fuzz: ${failing.length} known gaps still fail (${failing.map(([key, count]) => `${key}: ${count}`).join('; ')})`,
    );
    if (fixed.length > 0)
      console.log(`api-fuzz: no longer failing, remove from KNOWN_GAPS: ${fixed.join('; ')}`);
    process.chdir(originalDirectory);
    rmSync(scratch, { recursive: true, force: true });
  });

  it.each(factories.map((factory) => [`${factory.entryPoint} ${factory.name}`, factory] as const))(
    '%s refuses hostile options or arguments with a typed error, echoing nothing',
    async (_label: string, factory: PublicFactory) => {
      const { name } = factory;
      const role = factoryRoles[name];
      const target = callableTarget(factory.value, {
        isClass: factory.isClass,
        ...(role?.kind === 'function' && role.pool ? { pool: role.pool } : {}),
        ...(role?.kind === 'function' && role.example ? { example: role.example } : {}),
      });
      const runs = role?.factoryCalls?.runs ?? settings.runs;
      const report = await fuzzMethod(target, 'call', name, { ...settings, runs });
      expect(report.calls).toBe(runs);
      const counted = failuresThatCount(`${factory.entryPoint} ${name} call`, report.failures);
      expect(
        counted.slice(0, FAILURES_SHOWN),
        `seed ${settings.seed}: ${counted.length} failures`,
      ).toEqual([]);
    },
  );

  const services = factories.flatMap((factory) => {
    const role = factoryRoles[factory.name];
    return role?.kind === 'service'
      ? role.fixture.backends.map(
          (backend) =>
            [`${factory.entryPoint} ${factory.name} on ${backend}`, role.fixture, backend] as const,
        )
      : [];
  });

  it.each(services)(
    '%s: every method refuses hostile arguments with a typed error, before any port call, echoing nothing',
    async (label: string, fixture: FactoryFixture, backend: FuzzBackend) => {
      const target = await fixture.build(
        backend,
        backend === 'pglite' ? { pglite: createPgliteExecutor(pglite.db) } : {},
      );
      try {
        const failures = await fuzzAllMethods(target, label, fixture.lifecycle);
        expect(failures, `seed ${settings.seed}`).toEqual([]);
      } finally {
        await target.close?.();
      }
    },
  );
});
