import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  discoverMigrationSources,
  readMigrationFiles,
  workspaceRoot,
} from './migration-sources.js';
import { templateHash } from './template.js';

const folders: string[] = [];

function migrationFolder(files: Record<string, string>): string {
  const directory = mkdtempSync(join(tmpdir(), 'cq-migrations-'));
  folders.push(directory);
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(directory, name), sql);
  return directory;
}

afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe('templateHash', () => {
  it('changes when a migration file changes', () => {
    const before = migrationFolder({ '0001_init.sql': 'CREATE TABLE a (id int);' });
    const after = migrationFolder({ '0001_init.sql': 'CREATE TABLE a (id bigint);' });
    expect(templateHash([{ namespace: 'queue', directory: before }])).not.toBe(
      templateHash([{ namespace: 'queue', directory: after }]),
    );
  });

  it('stays the same when the same migrations are read from another folder', () => {
    const files = { '0001_init.sql': 'CREATE TABLE a (id int);' };
    expect(templateHash([{ namespace: 'queue', directory: migrationFolder(files) }])).toBe(
      templateHash([{ namespace: 'queue', directory: migrationFolder(files) }]),
    );
  });
});

describe('readMigrationFiles', () => {
  it('returns only NNNN_name.sql files in order when the folder holds others', () => {
    const directory = migrationFolder({
      '0002_more.sql': 'SELECT 2;',
      '0001_init.sql': 'SELECT 1;',
      'README.md': 'notes',
      'draft.sql': 'SELECT 3;',
    });
    expect(readMigrationFiles({ namespace: 'audit', directory })).toEqual([
      { name: '0001_init.sql', sql: 'SELECT 1;' },
      { name: '0002_more.sql', sql: 'SELECT 2;' },
    ]);
  });
});

describe('discoverMigrationSources', () => {
  it('lists only the packages that have an sql folder when given a workspace root', () => {
    const root = mkdtempSync(join(tmpdir(), 'cq-workspace-'));
    folders.push(root);
    mkdirSync(join(root, 'packages', 'audit', 'sql'), { recursive: true });
    mkdirSync(join(root, 'packages', 'queue'), { recursive: true });
    expect(discoverMigrationSources(root)).toEqual([
      { namespace: 'audit', directory: join(root, 'packages', 'audit', 'sql') },
    ]);
  });

  it('finds the CareQueue workspace when called without a root', () => {
    expect(join(workspaceRoot(), 'tools', 'test-harness', 'src')).toBe(import.meta.dirname);
  });
});
