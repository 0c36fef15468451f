import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

interface Manifest {
  readonly version?: string;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly devDependencies?: Readonly<Record<string, string>>;
}

async function readManifest(path: string): Promise<Manifest> {
  return JSON.parse(await readFile(path, 'utf8')) as Manifest;
}

/**
 * The installed versions of the packages a benchmark package compares: every dependency and
 * devDependency of its package.json (peers and CareQueue packages), type-only packages aside.
 *
 * @example
 * ```ts
 * await installedVersions('/repo/bench'); // { '@carequeue/core': '0.0.0', uuid: '14.0.3', ... }
 * ```
 */
export async function installedVersions(packageDir: string): Promise<Record<string, string>> {
  const manifest = await readManifest(join(packageDir, 'package.json'));
  const names = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies })
    .filter((name) => !name.startsWith('@types/'))
    .sort();
  const versions: Record<string, string> = {};
  for (const name of names) {
    const installed = await readManifest(join(packageDir, 'node_modules', name, 'package.json'));
    versions[name] = installed.version ?? 'unknown';
  }
  return versions;
}
