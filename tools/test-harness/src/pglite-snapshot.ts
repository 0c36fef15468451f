import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { createPgliteExecutor } from '@carequeue/core/sql';
import { discoverMigrationSources, type MigrationSource } from './migration-sources.js';
import { prepareTemplate, templateHash } from './template.js';

/**
 * The installed PGlite release. A data directory dumped by one release may not start on another
 * (0.5 dumps fail to initialize on 0.6), so the release is part of every snapshot's name.
 *
 * @example
 * ```ts
 * installedPgliteRelease(); // '0.6.1'
 * ```
 */
export function installedPgliteRelease(): string {
  // PGlite does not export its package.json; its entry point sits in dist/ beside it.
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const manifest = join(dirname(dirname(entry)), 'package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

/** The PGlite instance type the harness hands out: with the `btree_gist` extension loaded. */
export type TestPglite = PGlite;

/**
 * Where the snapshot for a set of migrations and a PGlite release is kept (in the OS temp
 * directory, so it is reused by later runs until the migrations or the release change).
 *
 * @example
 * ```ts
 * pgliteSnapshotPath(discoverMigrationSources()); // '/tmp/carequeue-test-harness/pglite-0.6.1-<hash>.tar'
 * ```
 */
export function pgliteSnapshotPath(
  sources: readonly MigrationSource[],
  release: string = installedPgliteRelease(),
): string {
  const hash = templateHash(sources).slice(0, 16);
  return join(tmpdir(), 'carequeue-test-harness', `pglite-${release}-${hash}.tar`);
}

/**
 * Makes sure a PGlite data-directory snapshot with the test schema exists and returns its path.
 *
 * Building one costs a few seconds; later calls and later runs with the same migrations reuse
 * the file. The file is written under a temporary name and renamed, so readers never see a
 * partial snapshot.
 *
 * @throws when a migration fails on PGlite.
 * @example
 * ```ts
 * const snapshot = await ensurePgliteSnapshot();
 * const db = await openPgliteSnapshot(snapshot);
 * ```
 */
export async function ensurePgliteSnapshot(
  sources: readonly MigrationSource[] = discoverMigrationSources(),
): Promise<string> {
  const path = pgliteSnapshotPath(sources);
  if (existsSync(path)) return path;

  const db = await PGlite.create({ extensions: { btree_gist } });
  try {
    await prepareTemplate(createPgliteExecutor(db), sources);
    const dump = await db.dumpDataDir('none');
    await mkdir(join(tmpdir(), 'carequeue-test-harness'), { recursive: true });
    const partial = `${path}.${process.pid}.partial`;
    await writeFile(partial, new Uint8Array(await dump.arrayBuffer()));
    await rename(partial, path);
  } finally {
    await db.close();
  }
  return path;
}

/**
 * Starts a PGlite instance from a snapshot made by {@link ensurePgliteSnapshot}.
 *
 * @example
 * ```ts
 * const db = await openPgliteSnapshot(await ensurePgliteSnapshot());
 * await db.query('SELECT 1');
 * await db.close();
 * ```
 */
export async function openPgliteSnapshot(path: string): Promise<TestPglite> {
  const snapshot = new Blob([await readFile(path)]);
  return PGlite.create({ loadDataDir: snapshot, extensions: { btree_gist } });
}
