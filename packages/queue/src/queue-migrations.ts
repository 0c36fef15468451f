import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MigrationSource } from '@carequeue/core/sql';

function queuePackageRoot(): string {
  // Walk up from this module so the folder is found from src/ in tests and from any dist/ chunk.
  let directory = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(directory, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === '@carequeue/queue'
    ) {
      return directory;
    }
    const parent = dirname(directory);
    if (parent === directory) {
      throw new Error('The @carequeue/queue package root was not found above its own module.');
    }
    directory = parent;
  }
}

/**
 * The queue package's SQL migrations (schema `queue` with forced row-level security), for core's
 * migrator, applied after `coreMigrations`.
 *
 * @example
 * ```ts
 * import { coreMigrations, migrate } from '@carequeue/core/sql';
 * import { queueMigrations } from '@carequeue/queue/postgres';
 *
 * await migrate(executor, [coreMigrations, queueMigrations]);
 * ```
 */
export const queueMigrations: MigrationSource = {
  namespace: 'queue',
  directory: join(queuePackageRoot(), 'sql'),
};
