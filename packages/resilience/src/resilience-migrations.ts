import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MigrationSource } from '@carequeue/core/sql';

function resiliencePackageRoot(): string {
  // Walk up from this module so the folder is found from src/ in tests and from any dist/ chunk.
  let directory = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(directory, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name ===
        '@carequeue/resilience'
    ) {
      return directory;
    }
    const parent = dirname(directory);
    if (parent === directory) {
      throw new Error('The @carequeue/resilience package root was not found above its own module.');
    }
    directory = parent;
  }
}

/**
 * The resilience package's SQL migrations (namespace `resilience`: dead letters and idempotency
 * keys), for core's migrator, applied after `coreMigrations`.
 *
 * @example
 * ```ts
 * import { coreMigrations, migrate } from '@carequeue/core/sql';
 * import { resilienceMigrations } from '@carequeue/resilience/postgres';
 *
 * await migrate(executor, [coreMigrations, resilienceMigrations]);
 * ```
 */
export const resilienceMigrations: MigrationSource = {
  namespace: 'resilience',
  directory: join(resiliencePackageRoot(), 'sql'),
};
