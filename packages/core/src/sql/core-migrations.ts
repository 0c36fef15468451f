import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MigrationSource } from './migrator.js';

function corePackageRoot(): string {
  // Walk up from this module so the folder is found from src/ in tests and from any dist/ chunk.
  let directory = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(directory, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === '@carequeue/core'
    ) {
      return directory;
    }
    const parent = dirname(directory);
    if (parent === directory) {
      throw new Error('The @carequeue/core package root was not found above its own module.');
    }
    directory = parent;
  }
}

/**
 * Core's own migrations (namespace `core`): the `anon`, `authenticated` and `service_role` roles
 * and `auth.jwt()`/`auth.uid()` reading `request.jwt.claims`, each created only where missing, so
 * the same row-level security policies run on Postgres, PGlite and Supabase; and the
 * `carequeue.subject_keys` table of `postgresSubjectKeyStore`. Apply it first.
 *
 * @example
 * ```ts
 * await migrate(sql, [coreMigrations, queueMigrations]);
 * ```
 */
export const coreMigrations: MigrationSource = {
  namespace: 'core',
  directory: join(corePackageRoot(), 'sql'),
};
