import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { entriesFromExports, entryOfExport } from '../../../scripts/package-entries.mjs';
import { readWorkspacePackages, repositoryRoot } from './workspace.js';

const published = readWorkspacePackages('packages');

describe('published packages', () => {
  it('are the six CareQueue packages, named after their folders', () => {
    expect(published.map((pkg) => pkg.manifest.name).sort()).toEqual([
      '@carequeue/audit',
      '@carequeue/cache',
      '@carequeue/client',
      '@carequeue/core',
      '@carequeue/queue',
      '@carequeue/resilience',
    ]);
    for (const { dir, manifest } of published) {
      expect(manifest.name).toBe(`@carequeue/${dir.split('/').pop()}`);
    }
  });

  it.each(published.map((pkg) => [pkg.manifest.name, pkg] as const))(
    '%s is ESM-only, side-effect free, public and on the Node floor',
    (_name, { manifest }) => {
      expect(manifest).toMatchObject({
        type: 'module',
        sideEffects: false,
        engines: { node: '>=22.12' },
        publishConfig: { access: 'public' },
        license: 'Apache-2.0',
      });
      expect(manifest.files).toContain('dist');
      expect(manifest).not.toHaveProperty('private');
    },
  );

  it.each(published.map((pkg) => [pkg.manifest.name, pkg] as const))(
    '%s exports types and default for every subpath, and its package.json',
    (_name, { manifest }) => {
      const exportsMap = manifest.exports as Record<string, unknown>;
      expect(exportsMap['./package.json']).toBe('./package.json');
      for (const [subpath, target] of Object.entries(exportsMap)) {
        if (subpath === './package.json') continue;
        expect(Object.keys(target as object)).toEqual(['types', 'default']);
      }
    },
  );

  it.each(published.map((pkg) => [pkg.manifest.name, pkg] as const))(
    '%s depends on other CareQueue packages through workspace:^ and has zod as a peer',
    (_name, { manifest }) => {
      const dependencies = (manifest.dependencies ?? {}) as Record<string, string>;
      for (const [dependency, range] of Object.entries(dependencies)) {
        if (dependency.startsWith('@carequeue/')) expect(range).toBe('workspace:^');
      }
      expect(manifest.peerDependencies).toHaveProperty('zod');
      expect(dependencies).not.toHaveProperty('zod');
    },
  );

  it.each(published.map((pkg) => [pkg.manifest.name, pkg] as const))(
    '%s has a README, a changelog, a TypeDoc config and a 90% line-coverage threshold',
    (_name, { dir }) => {
      for (const file of ['README.md', 'CHANGELOG.md', 'typedoc.config.mjs', 'tsup.config.ts']) {
        expect(existsSync(join(dir, file)), file).toBe(true);
      }
      const vitestConfig = readFileSync(join(dir, 'vitest.config.ts'), 'utf8');
      expect(vitestConfig).toMatch(/thresholds:\s*\{\s*lines:\s*9\d\s*\}/);
    },
  );

  it('keeps @carequeue/core free of dependencies on other CareQueue packages', () => {
    const core = published.find((pkg) => pkg.manifest.name === '@carequeue/core');
    const dependencies = Object.keys(core?.manifest.dependencies ?? {});
    expect(dependencies.filter((name) => name.startsWith('@carequeue/'))).toEqual([]);
  });

  it('lets @carequeue/client depend on core only among CareQueue packages', () => {
    const client = published.find((pkg) => pkg.manifest.name === '@carequeue/client');
    const dependencies = Object.keys(client?.manifest.dependencies ?? {});
    expect(dependencies.filter((name) => name.startsWith('@carequeue/'))).toEqual([
      '@carequeue/core',
    ]);
  });
});

describe('entriesFromExports', () => {
  it('maps every export of core to its source file, and the sources exist', () => {
    const coreDir = join(repositoryRoot, 'packages', 'core');
    const entries = entriesFromExports(coreDir);
    expect(entries).toMatchObject({ index: 'src/index.ts', 'sql/index': 'src/sql/index.ts' });
    for (const source of Object.values(entries)) {
      expect(existsSync(join(coreDir, source)), source).toBe(true);
    }
  });

  it('refuses an export that does not point into dist', () => {
    const fixture = join(import.meta.dirname, 'fixtures', 'export-outside-dist');
    expect(() => entriesFromExports(fixture)).toThrow(/must point into \.\/dist/);
  });
});

describe('entryOfExport', () => {
  it('names the built file of a subpath without dist and extension', () => {
    const manifest = {
      name: '@carequeue/queue',
      exports: {
        '.': { types: './dist/index.d.ts', default: './dist/index.js' },
        './postgres': './dist/adapters/postgres.js',
      },
    };
    expect(entryOfExport(manifest, '.')).toBe('index');
    expect(entryOfExport(manifest, './postgres')).toBe('adapters/postgres');
  });

  it('refuses a subpath that is not exported', () => {
    expect(() => entryOfExport({ name: 'a', exports: {} }, './sql')).toThrow(
      'a: export ./sql must point into ./dist (got undefined)',
    );
  });
});

describe('repository', () => {
  it('pins the toolchain the architecture names', () => {
    const manifest = JSON.parse(readFileSync(join(repositoryRoot, 'package.json'), 'utf8')) as {
      packageManager: string;
      devDependencies: Record<string, string>;
    };
    expect(manifest.packageManager).toBe('pnpm@10.34.9');
    expect(manifest.devDependencies).toMatchObject({
      typescript: '6.0.3',
      tsup: '8.5.1',
      typedoc: '0.28.20',
    });
    expect(manifest.devDependencies.vitest).toMatch(/^5\./);
  });

  it('has a changeset configuration for independent, public versions', () => {
    const config = JSON.parse(
      readFileSync(join(repositoryRoot, '.changeset', 'config.json'), 'utf8'),
    ) as { access: string; fixed: unknown[]; linked: unknown[] };
    expect(config.access).toBe('public');
    expect(config.fixed).toEqual([]);
    expect(config.linked).toEqual([]);
  });
});
