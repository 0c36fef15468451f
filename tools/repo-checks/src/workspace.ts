import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The repository root, two levels above this package. */
export const repositoryRoot = join(import.meta.dirname, '..', '..', '..');

/** A workspace package as read from disk. */
export interface WorkspacePackage {
  readonly dir: string;
  readonly manifest: Record<string, unknown> & { name: string };
}

/**
 * Reads every package under a workspace folder such as `packages`.
 *
 * @example
 * ```ts
 * for (const pkg of readWorkspacePackages('packages')) console.log(pkg.manifest.name);
 * ```
 */
export function readWorkspacePackages(group: string): WorkspacePackage[] {
  const base = join(repositoryRoot, group);
  return readdirSync(base)
    .map((name) => join(base, name))
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => ({
      dir,
      manifest: JSON.parse(
        readFileSync(join(dir, 'package.json'), 'utf8'),
      ) as WorkspacePackage['manifest'],
    }));
}
