import { useTestPglite } from '@carequeue/test-harness';
import { createPgliteExecutor } from '@carequeue/core/sql';
import { beforeAll, describe, expect, it } from 'vitest';
import { factoryRoles } from './fixtures/index.js';
import { fuzzMethod } from './fuzz-method.js';
import { fuzzSettingsFromEnv } from './fuzz-settings.js';
import type { FactoryFixture, FuzzBackend } from './fuzz-target.js';
import { publicFactories, publicMethods } from './public-surface.js';

const settings = fuzzSettingsFromEnv(process.env);
const factories = await publicFactories();

/** At most this many failures are printed per method; the count says how many there were. */
const FAILURES_SHOWN = 8;

describe('public API fuzz', () => {
  const pglite = useTestPglite();

  beforeAll(() => {
    console.log(
      `api-fuzz: seed ${settings.seed}, ${settings.runs} calls per method; replay with CAREQUEUE_FUZZ_SEED=${settings.seed} CAREQUEUE_FUZZ_RUNS=${settings.runs}`,
    );
  });

  it('has a fixture, or the services that use it as a port, for every exported factory and class', () => {
    const missing = factories
      .filter((factory) => factoryRoles[factory.name] === undefined)
      .map((factory) => `${factory.entryPoint}: ${factory.name}`);
    expect(missing, 'exported factories with no fixture').toEqual([]);
  });

  const fuzzed = factories.flatMap((factory) => {
    const role = factoryRoles[factory.name];
    return role?.kind === 'service'
      ? role.fixture.backends.map((backend) => ({ factory, fixture: role.fixture, backend }))
      : [];
  });

  it.each(fuzzed.map(({ factory, fixture, backend }) => [`${factory.name} on ${backend}`, fixture, backend] as const))(
    '%s: every method refuses hostile arguments with a typed error, before any port call, echoing nothing',
    async (label: string, fixture: FactoryFixture, backend: FuzzBackend) => {
      const target = await fixture.build(backend, backend === 'pglite' ? { pglite: createPgliteExecutor(pglite.db) } : {});
      try {
        const lifecycle = new Set(fixture.lifecycle ?? []);
        const methods = publicMethods(target.instance);
        expect(methods.length, `${label} has no methods to fuzz`).toBeGreaterThan(0);
        const ordered = [...methods.filter((name) => !lifecycle.has(name)), ...methods.filter((name) => lifecycle.has(name))];
        const failures: string[] = [];
        for (const method of ordered) {
          const report = await fuzzMethod(target, method, `${label} ${method}`, settings);
          expect(report.calls).toBe(settings.runs);
          if (report.failures.length > 0) {
            failures.push(`${report.failures.length} failures in ${method}`, ...report.failures.slice(0, FAILURES_SHOWN));
          }
        }
        expect(failures, `seed ${settings.seed}`).toEqual([]);
      } finally {
        await target.close?.();
      }
    },
  );
});
