import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { coreMigrations } from './core-migrations.js';
import { MigrationFileError } from './errors.js';
import { readMigrations } from './migrator.js';

const folders: string[] = [];

function folderWith(files: Record<string, string>): string {
  const directory = mkdtempSync(join(tmpdir(), 'carequeue-migrations-'));
  folders.push(directory);
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(directory, name), sql);
  return directory;
}

afterEach(() => {
  for (const directory of folders.splice(0)) rmSync(directory, { recursive: true, force: true });
});

describe('readMigrations', () => {
  it('returns the files in version order with checksums when they are well named', () => {
    const directory = folderWith({
      '0002_second.sql': 'SELECT 2;',
      '0001_first.sql': 'SELECT 1;',
      'README.md': 'not a migration',
    });
    const migrations = readMigrations({ namespace: 'queue', directory: pathToFileURL(directory) });
    expect(migrations.map((m) => [m.namespace, m.version, m.name])).toEqual([
      ['queue', 1, '0001_first.sql'],
      ['queue', 2, '0002_second.sql'],
    ]);
    expect(migrations[0]?.checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives the same checksum when only line endings differ', () => {
    const [unix] = readMigrations({
      namespace: 'a',
      directory: folderWith({ '0001_x.sql': 'SELECT 1;\nSELECT 2;\n' }),
    });
    const [windows] = readMigrations({
      namespace: 'a',
      directory: folderWith({ '0001_x.sql': 'SELECT 1;\r\nSELECT 2;\r\n' }),
    });
    expect(windows?.checksum).toBe(unix?.checksum);
  });

  it('throws MigrationFileError when a file is misnamed', () => {
    const directory = folderWith({ '1_first.sql': 'SELECT 1;' });
    expect(() => readMigrations({ namespace: 'queue', directory })).toThrow(/NNNN_lower_case_name/);
  });

  it('throws MigrationFileError when two files share a version', () => {
    const directory = folderWith({ '0001_a.sql': 'SELECT 1;', '0001_b.sql': 'SELECT 2;' });
    expect(() => readMigrations({ namespace: 'queue', directory })).toThrow(/version 1/);
  });

  it('throws MigrationFileError when the namespace or folder is invalid', () => {
    expect(() => readMigrations({ namespace: 'Queue!', directory: tmpdir() })).toThrow(
      MigrationFileError,
    );
    expect(() =>
      readMigrations({ namespace: 'queue', directory: join(tmpdir(), 'carequeue-missing-dir') }),
    ).toThrow(/cannot be read/);
  });
});

describe('coreMigrations', () => {
  it('points at the sql folder shipped with the package when resolved from source', () => {
    expect(coreMigrations.namespace).toBe('core');
    expect(readdirSync(coreMigrations.directory)).toContain('0001_bootstrap.sql');
    expect(readMigrations(coreMigrations).map((m) => m.name)).toEqual([
      '0001_bootstrap.sql',
      '0002_subject_keys.sql',
      '0003_sql_clock.sql',
    ]);
  });
});
