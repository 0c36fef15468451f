// `pnpm release:dry`: rehearses a release without publishing anything. In a scratch copy of the
// workspace it runs `changeset version` (the versions and changelogs the pending changesets
// give) and `pnpm publish -r --dry-run` (the tarballs the registry would receive), then reports
// both. The workspace itself is left untouched, so the rehearsal can run on every CI run.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import semver from 'semver';
import {
  builtPublishedPackages,
  formatTable,
  publishedPackages,
  scratchFolder,
} from './pack-and-install.mjs';

/** @param {string} line */
const print = (line) => process.stdout.write(`${line}\n`);

/**
 * Pairs each published package's version before and after `changeset version`, and says which
 * packages a release would leave unversioned.
 *
 * @example
 * ```js
 * planReleases({ '@carequeue/core': '0.0.0' }, { '@carequeue/core': '0.1.0' });
 * // { rows: [['@carequeue/core', '0.0.0', '0.1.0']], unreleased: [] }
 * ```
 *
 * @param {Readonly<Record<string, string>>} before package name to its version in the workspace
 * @param {Readonly<Record<string, string>>} after package name to its version after versioning
 * @returns {{ rows: string[][]; unreleased: string[] }} table rows, and the packages still at 0.0.0
 */
export function planReleases(before, after) {
  const names = Object.keys(before).sort();
  return {
    rows: names.map((name) => [name, before[name] ?? '', after[name] ?? '']),
    unreleased: names.filter((name) => (after[name] ?? '0.0.0') === '0.0.0'),
  };
}

/**
 * Lists what would break a consumer's install in a packed package.json: a `workspace:` range
 * left unreplaced, or a CareQueue dependency on a version other than the one being released.
 *
 * @example
 * ```js
 * packedManifestProblems(
 *   { name: '@carequeue/cache', dependencies: { '@carequeue/core': 'workspace:^' } },
 *   { '@carequeue/core': '0.1.0' },
 * ); // ['@carequeue/cache depends on @carequeue/core "workspace:^"']
 * ```
 *
 * @param {{ name: string; dependencies?: Record<string, string>; peerDependencies?: Record<string, string>; optionalDependencies?: Record<string, string> }} manifest
 * @param {Readonly<Record<string, string>>} released package name to the version being released
 * @returns {string[]}
 */
export function packedManifestProblems(manifest, released) {
  const fields = [manifest.dependencies, manifest.peerDependencies, manifest.optionalDependencies];
  return fields.flatMap((field) =>
    Object.entries(field ?? {})
      .filter(
        ([name, range]) =>
          range.startsWith('workspace:') ||
          (released[name] !== undefined && !semver.satisfies(released[name], range)),
      )
      .map(([name, range]) => `${manifest.name} depends on ${name} "${range}"`),
  );
}

/**
 * @param {string} command
 * @param {string[]} args
 * @param {string} cwd
 * @returns {string} standard output; standard error is shown only when the command fails
 */
function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  if (result.error !== undefined) throw result.error;
  if (result.status !== 0) {
    const output = `${result.stdout}${result.stderr}`.trim();
    throw new Error(`${command} ${args.join(' ')} failed:\n${output}`);
  }
  return result.stdout;
}

/**
 * The files of the workspace that a release is cut from: everything git tracks or would track,
 * plus each package's build. Ignored files (node_modules, coverage) stay behind.
 *
 * @param {string} workspaceRoot
 * @returns {string[]} paths relative to the workspace root
 */
function releaseFiles(workspaceRoot) {
  const listed = run('git', ['ls-files', '-co', '--exclude-standard', '-z'], workspaceRoot);
  return listed.split('\0').filter((path) => path !== '' && existsSync(join(workspaceRoot, path)));
}

/**
 * @param {string} workspaceRoot
 * @returns {Record<string, string>} published package name to its version
 */
function versionsIn(workspaceRoot) {
  return Object.fromEntries(
    publishedPackages(workspaceRoot).map(({ dir, manifest }) => [
      manifest.name,
      JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version,
    ]),
  );
}

/**
 * Runs the rehearsal and returns the process exit code.
 *
 * @param {string} workspaceRoot
 * @returns {number}
 */
function rehearseRelease(workspaceRoot) {
  const packages = builtPublishedPackages(workspaceRoot);
  const scratch = scratchFolder(workspaceRoot, 'carequeue-release-');
  try {
    for (const path of releaseFiles(workspaceRoot)) {
      cpSync(join(workspaceRoot, path), join(scratch, path), { recursive: true });
    }
    for (const { dir } of packages) {
      const dist = relative(workspaceRoot, join(dir, 'dist'));
      cpSync(join(workspaceRoot, dist), join(scratch, dist), { recursive: true });
    }
    print(`scratch copy: ${scratch}`);
    run('pnpm', ['install', '--frozen-lockfile', '--prefer-offline', '--ignore-scripts'], scratch);

    const before = versionsIn(scratch);
    run('pnpm', ['exec', 'changeset', 'version'], scratch);
    const after = versionsIn(scratch);
    const { rows, unreleased } = planReleases(before, after);
    print(`\n${formatTable(['package', 'now', 'next release'], rows)}\n`);

    // What the registry would receive: each tarball's own package.json, workspace ranges
    // replaced by pnpm at pack time.
    const problems = publishedPackages(scratch).flatMap(({ dir }) => {
      const packed = JSON.parse(
        run('pnpm', ['pack', '--pack-destination', scratch, '--json'], dir),
      );
      const manifest = JSON.parse(
        run('tar', ['-xzOf', packed.filename, 'package/package.json'], dir),
      );
      return packedManifestProblems(manifest, after);
    });
    const publish = run('pnpm', ['publish', '-r', '--dry-run', '--no-git-checks'], scratch);
    for (const line of publish.split('\n').filter((text) => text.startsWith('+ '))) print(line);

    for (const problem of problems) process.stderr.write(`packed manifest: ${problem}\n`);
    if (unreleased.length > 0) {
      print(`no pending changeset versions ${unreleased.join(', ')}: they would not be published`);
    }
    return problems.length === 0 ? 0 : 1;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    process.exitCode = rehearseRelease(dirname(dirname(fileURLToPath(import.meta.url))));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
