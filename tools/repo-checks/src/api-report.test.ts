import { describe, expect, it } from 'vitest';
import { compareReports, reportEntries, reportFileOf } from '../../../scripts/api-report.mjs';
import { readWorkspacePackages } from './workspace.js';

const published = readWorkspacePackages('packages');

describe('reportFileOf', () => {
  it('names the root export index and any other after its subpath', () => {
    expect(reportFileOf('.')).toBe('api/index.api.md');
    expect(reportFileOf('./postgres')).toBe('api/postgres.api.md');
    expect(reportFileOf('./supabase-realtime')).toBe('api/supabase-realtime.api.md');
  });

  it('keeps the folders of a nested subpath', () => {
    expect(reportFileOf('./adapters/postgres')).toBe('api/adapters/postgres.api.md');
  });
});

describe('reportEntries', () => {
  it('reads each export of queue from its built declarations, skipping package.json', () => {
    const queue = published.find((pkg) => pkg.manifest.name === '@carequeue/queue');
    const entries = reportEntries(queue?.manifest ?? { name: 'missing' });
    expect(entries).toContainEqual({
      subpath: '.',
      declarationFile: 'dist/index.d.ts',
      reportFile: 'api/index.api.md',
    });
    expect(entries).toContainEqual({
      subpath: './postgres',
      declarationFile: 'dist/postgres/index.d.ts',
      reportFile: 'api/postgres.api.md',
    });
    expect(entries.map((entry) => entry.subpath)).not.toContain('./package.json');
  });

  it.each(published.map((pkg) => [pkg.manifest.name, pkg] as const))(
    "%s reports on the declaration file its exports' types condition names",
    (_name, { manifest }) => {
      const exportsMap = manifest.exports as Record<string, { types: string }>;
      for (const { subpath, declarationFile } of reportEntries(manifest)) {
        expect(`./${declarationFile}`).toBe(exportsMap[subpath]?.types);
      }
    },
  );

  it('names the nested declaration file of core/sql and reports it as sql', () => {
    const entries = reportEntries({
      name: '@carequeue/core',
      exports: { './sql': { types: './dist/sql/index.d.ts', default: './dist/sql/index.js' } },
    });
    expect(entries).toEqual([
      { subpath: './sql', declarationFile: 'dist/sql/index.d.ts', reportFile: 'api/sql.api.md' },
    ]);
  });

  it('throws naming both subpaths when they would share a report', () => {
    expect(() =>
      reportEntries({
        name: 'a',
        exports: {
          '.': { default: './dist/index.js' },
          './index': { default: './dist/other.js' },
        },
      }),
    ).toThrow('a: exports . and ./index share api/index.api.md');
  });

  it('throws when an export points outside dist, since there is nothing built to read', () => {
    expect(() => reportEntries({ name: 'a', exports: { '.': { default: './index.js' } } })).toThrow(
      'a: export . must point into ./dist (got ./index.js)',
    );
  });
});

describe('compareReports', () => {
  const index = 'packages/core/api/index.api.md';
  const sql = 'packages/core/api/sql.api.md';

  it('finds nothing when every committed report equals the generated one', () => {
    const reports = new Map([
      [index, 'a'],
      [sql, 'b'],
    ]);
    expect(compareReports(reports, new Map(reports))).toEqual([]);
  });

  it('lists differing, missing and stale reports sorted by path', () => {
    const committed = new Map([
      [index, 'export function f(a: string): void;'],
      ['packages/core/api/gone.api.md', 'old'],
    ]);
    const generated = new Map([
      [index, 'export function f(a: number): void;'],
      [sql, 'new'],
    ]);
    expect(compareReports(committed, generated)).toEqual([
      { file: 'packages/core/api/gone.api.md', problem: 'stale' },
      { file: index, problem: 'differs' },
      { file: sql, problem: 'missing' },
    ]);
  });

  it('treats a whitespace-only change as a difference, because the check is byte for byte', () => {
    expect(compareReports(new Map([[index, 'a\n']]), new Map([[index, 'a\n\n']]))).toEqual([
      { file: index, problem: 'differs' },
    ]);
  });
});
