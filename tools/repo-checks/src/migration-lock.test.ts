import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from './workspace.js';

/**
 * Migrations only move forward: once committed, a migration file is never edited, renamed or
 * removed (deployed databases have applied it; a fix is a new file). `migrations.lock.json` holds
 * the checksum of every committed migration. A new file is added to it with
 * `CAREQUEUE_WRITE_MIGRATION_LOCK=1 pnpm --filter @carequeue/repo-checks test`, which never
 * changes or drops an entry already there.
 */
const lockFile = join(import.meta.dirname, '..', 'migrations.lock.json');

/** Checksum of a migration as the migrator computes it: line endings do not count. */
function checksumOf(path: string): string {
  const sql = readFileSync(join(repositoryRoot, path), 'utf8').replaceAll('\r\n', '\n');
  return createHash('sha256').update(sql, 'utf8').digest('hex');
}

/** Every migration file of every package, as a path from the repository root. */
function migrationFiles(): string[] {
  const packages = join(repositoryRoot, 'packages');
  return readdirSync(packages)
    .filter((name) => existsSync(join(packages, name, 'sql')))
    .flatMap((name) =>
      readdirSync(join(packages, name, 'sql'))
        .filter((file) => file.endsWith('.sql'))
        .map((file) => `packages/${name}/sql/${file}`),
    )
    .sort();
}

function readLock(): Record<string, string> {
  return existsSync(lockFile)
    ? (JSON.parse(readFileSync(lockFile, 'utf8')) as Record<string, string>)
    : {};
}

describe('migration lock', () => {
  it('keeps every committed migration byte for byte, and lists every migration file', () => {
    const locked = readLock();
    const onDisk = migrationFiles();
    if (process.env['CAREQUEUE_WRITE_MIGRATION_LOCK'] === '1') {
      const added = onDisk.filter((path) => locked[path] === undefined);
      const next = {
        ...locked,
        ...Object.fromEntries(added.map((path) => [path, checksumOf(path)])),
      };
      const sorted = Object.fromEntries(
        Object.entries(next).sort(([a], [b]) => a.localeCompare(b)),
      );
      writeFileSync(lockFile, `${JSON.stringify(sorted, null, 2)}\n`);
      Object.assign(locked, sorted);
    }
    const changed = Object.entries(locked)
      .filter(([path, checksum]) => !onDisk.includes(path) || checksumOf(path) !== checksum)
      .map(([path]) => path);
    expect(
      changed,
      'committed migrations edited, renamed or removed: write a new migration instead',
    ).toEqual([]);
    const unlisted = onDisk.filter((path) => locked[path] === undefined);
    expect(
      unlisted,
      'new migrations: add them with CAREQUEUE_WRITE_MIGRATION_LOCK=1 pnpm --filter @carequeue/repo-checks test',
    ).toEqual([]);
  });
});
