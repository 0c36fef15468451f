import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MigrationSource } from '@carequeue/core/sql';

function auditPackageRoot(): string {
  // Walk up from this module so the folder is found from src/ in tests and from any dist/ chunk.
  let directory = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(directory, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === '@carequeue/audit'
    ) {
      return directory;
    }
    const parent = dirname(directory);
    if (parent === directory) {
      throw new Error('The @carequeue/audit package root was not found above its own module.');
    }
    directory = parent;
  }
}

/**
 * The audit package's SQL migrations, for core's migrator (after `coreMigrations`).
 *
 * @example
 * ```ts
 * import { coreMigrations, migrate } from '@carequeue/core/sql';
 * import { auditMigrations } from '@carequeue/audit/postgres';
 *
 * await migrate(executor, [coreMigrations, auditMigrations]);
 * ```
 */
export const auditMigrations: MigrationSource = {
  namespace: 'audit',
  directory: join(auditPackageRoot(), 'sql'),
};
