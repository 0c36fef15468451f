// Packs every published package, installs the tarballs into a project outside the workspace and
// imports every subpath export there, twice: with the oldest and with the newest release of every
// peer that the packages admit. Inside the workspace, hoisted and linked packages hide a
// dependency missing from a package.json or a file missing from `files`; a clean install does not,
// and an install with today's peers shows the warnings a user would see.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import process from 'node:process';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import semver from 'semver';

/** @param {string} line */
const print = (line) => process.stdout.write(`${line}\n`);
/** @param {string} line */
const printError = (line) => process.stderr.write(`${line}\n`);

const INTERNAL_SCOPE = '@carequeue/';

/**
 * Lists the subpaths a package exports, without `./package.json`.
 *
 * @param {unknown} exportsField the `exports` value of a package.json
 * @returns {string[]} subpaths such as `.` and `./logger`
 * @throws {Error} when a subpath is a pattern (`./*`), which cannot be listed
 */
export function listSubpaths(exportsField) {
  if (exportsField === undefined || exportsField === null) return ['.'];
  if (typeof exportsField === 'string' || Array.isArray(exportsField)) return ['.'];
  const keys = Object.keys(exportsField);
  // An exports object either maps subpaths (keys start with '.') or conditions for '.' alone.
  if (!keys.some((key) => key.startsWith('.'))) return ['.'];
  const patterns = keys.filter((key) => key.includes('*'));
  if (patterns.length > 0) {
    throw new Error(`pattern exports cannot be listed and imported: ${patterns.join(', ')}`);
  }
  return keys.filter((key) => key !== './package.json');
}

/**
 * The bare specifier a consumer imports for a package subpath.
 *
 * @param {string} packageName such as `@carequeue/core`
 * @param {string} subpath such as `.` or `./logger`
 * @returns {string} such as `@carequeue/core` or `@carequeue/core/logger`
 */
export function importSpecifier(packageName, subpath) {
  return subpath === '.' ? packageName : `${packageName}/${subpath.slice(2)}`;
}

/**
 * Gathers the ranges in which the packed packages declare each peer dependency. Peers inside the
 * `@carequeue` scope are left out: they come from the packed tarballs.
 *
 * @example
 * ```js
 * collectPeerRanges([{ name: 'a', peerDependencies: { zod: '^4.1.0' } }]); // Map { 'zod' => ['^4.1.0'] }
 * ```
 *
 * @param {ReadonlyArray<{ name: string; peerDependencies?: Record<string, string> }>} manifests
 * @returns {Map<string, string[]>} peer name to every declared range, sorted by peer name
 */
export function collectPeerRanges(manifests) {
  /** @type {Map<string, string[]>} */
  const ranges = new Map();
  for (const manifest of manifests) {
    for (const [peer, range] of Object.entries(manifest.peerDependencies ?? {})) {
      if (peer.startsWith(INTERNAL_SCOPE)) continue;
      ranges.set(peer, [...(ranges.get(peer) ?? []), range]);
    }
  }
  return new Map([...ranges].sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * Chooses one exact version per peer: the oldest or the newest published release (no
 * prerelease) that every package's declared range admits, so that a consumer's install is
 * checked at both ends of what the packages promise.
 *
 * @example
 * ```js
 * const ranges = new Map([['ioredis', ['^5.4.0 || ^6.0.0']]]);
 * resolvePeerVersions(ranges, { ioredis: ['5.3.2', '5.4.0', '5.11.1', '6.1.0'] }, 'oldest'); // { ioredis: '5.4.0' }
 * ```
 *
 * @param {ReadonlyMap<string, readonly string[]>} ranges peer name to the ranges declaring it
 * @param {Readonly<Record<string, readonly string[]>>} published peer name to its published versions
 * @param {'oldest' | 'newest'} bound which end of the admitted versions to take
 * @returns {Record<string, string>} peer name to the version to install
 * @throws {Error} when no published release of a peer satisfies all of its ranges
 */
export function resolvePeerVersions(ranges, published, bound) {
  /** @type {Record<string, string>} */
  const versions = {};
  for (const [peer, declared] of ranges) {
    const admitted = (published[peer] ?? [])
      .filter((version) => semver.valid(version) !== null && semver.prerelease(version) === null)
      .filter((version) => declared.every((range) => semver.satisfies(version, range)))
      .sort(semver.compare);
    const chosen = bound === 'oldest' ? admitted[0] : admitted.at(-1);
    if (chosen === undefined) {
      throw new Error(
        `no published release of ${peer} satisfies every range: ${declared.join('; ')}`,
      );
    }
    versions[peer] = chosen;
  }
  return versions;
}

/**
 * The package.json of the consumer project: every tarball and peer as a dependency, and
 * overrides so that internal dependencies between packages resolve to the tarballs too
 * instead of the registry.
 *
 * @param {Record<string, string>} tarballs package name to the absolute path of its tarball
 * @param {Record<string, string>} peers peer name to the version to install
 * @returns {{ name: string; private: true; type: 'module'; dependencies: Record<string, string>; overrides: Record<string, string> }}
 */
export function createConsumerManifest(tarballs, peers) {
  const fileSpecs = Object.fromEntries(
    Object.entries(tarballs).map(([name, path]) => [name, `file:${path}`]),
  );
  return {
    name: 'carequeue-pack-and-install-check',
    private: true,
    type: 'module',
    dependencies: { ...peers, ...fileSpecs },
    overrides: fileSpecs,
  };
}

/**
 * Whether `path` is `folder` or lies inside it.
 *
 * @param {string} path absolute path
 * @param {string} folder absolute path
 * @returns {boolean}
 */
export function isInside(path, folder) {
  const fromFolder = relative(resolve(folder), resolve(path));
  return fromFolder === '' || (!fromFolder.startsWith('..') && !isAbsolute(fromFolder));
}

/**
 * Renders rows as an aligned plain-text table with a header rule.
 *
 * @param {readonly string[]} header column titles
 * @param {ReadonlyArray<readonly string[]>} rows cells, one array per row
 * @returns {string}
 */
export function formatTable(header, rows) {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  /** @param {readonly string[]} cells */
  const line = (cells) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join(
    '\n',
  );
}

// Runs in the consumer project, so the import resolves from its node_modules only.
const IMPORT_CHECK_SOURCE = `const specifier = process.argv[2];
const namespace = await import(specifier);
const names = Object.keys(namespace);
if (names.length === 0) {
  console.error('the module exports no names');
  process.exit(1);
}
console.log(JSON.stringify(names));
`;

/**
 * @param {string} command
 * @param {string[]} args
 * @param {string} cwd
 * @returns {{ stdout: string; stderr: string }}
 */
function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  if (result.error !== undefined) throw result.error;
  if (result.status !== 0) {
    const output = `${result.stderr}${result.stdout}`.trim();
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${output}`);
  }
  return { stdout: result.stdout, stderr: result.stderr };
}

/**
 * The lines of npm's output that warn about peer dependencies (ERESOLVE overrides, unmet or
 * conflicting peers): what a consumer would see when our ranges do not admit their versions.
 *
 * @example
 * ```js
 * peerWarnings('npm warn ERESOLVE overriding peer dependency\nadded 3 packages'); // ['npm warn ERESOLVE overriding peer dependency']
 * ```
 *
 * @param {string} output npm's standard error and output
 * @returns {string[]}
 */
export function peerWarnings(output) {
  return output
    .split('\n')
    .filter((line) => /^npm warn/i.test(line) && /peer|ERESOLVE/i.test(line));
}

/**
 * The published versions of a package, from the registry.
 *
 * @param {string} name
 * @param {string} cwd
 * @returns {string[]}
 */
function publishedVersions(name, cwd) {
  const versions = JSON.parse(run('npm', ['view', name, 'versions', '--json'], cwd).stdout);
  return Array.isArray(versions) ? versions : [versions];
}

/**
 * The packages under `packages/` that are published (not private), sorted by name.
 *
 * @example
 * ```js
 * for (const { dir, manifest } of publishedPackages('/work/carequeue')) console.log(manifest.name, dir);
 * ```
 *
 * @param {string} workspaceRoot
 * @returns {Array<{ dir: string; manifest: { name: string; private?: boolean; exports?: unknown; peerDependencies?: Record<string, string>; devDependencies?: Record<string, string> } }>}
 */
export function publishedPackages(workspaceRoot) {
  const packagesDir = join(workspaceRoot, 'packages');
  return readdirSync(packagesDir, { withFileTypes: true })
    .filter(
      (entry) => entry.isDirectory() && existsSync(join(packagesDir, entry.name, 'package.json')),
    )
    .map((entry) => {
      const dir = join(packagesDir, entry.name);
      return { dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) };
    })
    .filter(({ manifest }) => manifest.private !== true)
    .sort((a, b) => a.manifest.name.localeCompare(b.manifest.name));
}

/**
 * The published packages, each checked to have been built, as packing them needs `dist`.
 *
 * @example
 * ```js
 * const packages = builtPublishedPackages('/work/carequeue'); // throws before `pnpm build`
 * ```
 *
 * @param {string} workspaceRoot
 * @returns {ReturnType<typeof publishedPackages>}
 * @throws {Error} naming every package without a dist folder
 */
export function builtPublishedPackages(workspaceRoot) {
  const packages = publishedPackages(workspaceRoot);
  const unbuilt = packages.filter(({ dir }) => !existsSync(join(dir, 'dist')));
  if (unbuilt.length > 0) {
    const names = unbuilt.map(({ manifest }) => manifest.name).join(', ');
    throw new Error(`${names}: no dist folder. Run pnpm build first.`);
  }
  return packages;
}

/**
 * A new, empty temporary folder outside the workspace: inside it, a project would resolve the
 * workspace's own node_modules and hide what a consumer's install lacks.
 *
 * @example
 * ```js
 * const scratch = scratchFolder('/work/carequeue', 'carequeue-pack-'); // '/tmp/carequeue-pack-Ab12Cd'
 * ```
 *
 * @param {string} workspaceRoot
 * @param {string} prefix the start of the folder's name
 * @returns {string}
 * @throws {Error} when the temporary directory lies inside the workspace
 */
export function scratchFolder(workspaceRoot, prefix) {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  if (isInside(folder, workspaceRoot)) {
    rmSync(folder, { recursive: true, force: true });
    throw new Error(`the temporary folder ${folder} is inside the workspace; set TMPDIR elsewhere`);
  }
  return folder;
}

/**
 * Installs the tarballs with the given peers into a new project and imports every subpath
 * export there; prints a table and returns the failures (peer warnings included).
 *
 * @param {string} projectDir an empty folder
 * @param {ReturnType<typeof publishedPackages>} packages
 * @param {Record<string, string>} tarballs package name to tarball path
 * @param {Record<string, string>} peers peer name to the version to install
 * @returns {string[]}
 */
function installAndImport(projectDir, packages, tarballs, peers) {
  const consumer = createConsumerManifest(tarballs, peers);
  writeFileSync(join(projectDir, 'package.json'), `${JSON.stringify(consumer, null, 2)}\n`);
  writeFileSync(join(projectDir, 'check-import.mjs'), IMPORT_CHECK_SOURCE);
  const peerList = Object.entries(peers).map(([name, version]) => `${name}@${version}`);
  print(`installing into ${projectDir} with peers ${peerList.join(', ') || '(none)'}`);
  const install = run('npm', ['install', '--no-audit', '--no-fund'], projectDir);
  /** @type {string[]} */
  const failures = peerWarnings(`${install.stderr}\n${install.stdout}`).map(
    (line) => `npm install printed a peer warning: ${line}`,
  );

  /** @type {string[][]} */
  const rows = [];
  for (const { manifest } of packages) {
    /** @type {string[]} */
    let subpaths;
    try {
      subpaths = listSubpaths(manifest.exports);
    } catch (error) {
      rows.push([manifest.name, '(exports)', 'FAIL', '']);
      failures.push(`${manifest.name}: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    for (const subpath of subpaths) {
      const specifier = importSpecifier(manifest.name, subpath);
      const result = spawnSync(process.execPath, ['check-import.mjs', specifier], {
        cwd: projectDir,
        encoding: 'utf8',
      });
      if (result.status === 0) {
        const names = JSON.parse(result.stdout);
        rows.push([manifest.name, subpath, 'ok', String(names.length)]);
      } else {
        rows.push([manifest.name, subpath, 'FAIL', '']);
        const reason = (result.stderr || String(result.error ?? 'no output')).trim();
        failures.push(`${specifier} (package ${manifest.name}, subpath ${subpath}):\n${reason}`);
      }
    }
  }
  print(`\n${formatTable(['package', 'subpath', 'import', 'names'], rows)}\n`);
  return failures;
}

/**
 * Packs every package, then installs the tarballs twice, with the oldest and with the newest
 * release of every peer that the packages' ranges admit, and imports every subpath export each
 * time. Returns the number of failures.
 *
 * @param {string} workspaceRoot
 * @returns {number}
 */
function checkPackages(workspaceRoot) {
  const packages = builtPublishedPackages(workspaceRoot);
  const root = scratchFolder(workspaceRoot, 'carequeue-pack-');
  try {
    const tarballDir = join(root, 'tarballs');
    mkdirSync(tarballDir);

    /** @type {Record<string, string>} */
    const tarballs = {};
    for (const { dir, manifest } of packages) {
      const packed = JSON.parse(
        run('pnpm', ['pack', '--pack-destination', tarballDir, '--json'], dir).stdout,
      );
      tarballs[manifest.name] = packed.filename;
      print(`packed ${manifest.name}`);
    }

    const ranges = collectPeerRanges(packages.map(({ manifest }) => manifest));
    const published = Object.fromEntries(
      [...ranges.keys()].map((peer) => [peer, publishedVersions(peer, root)]),
    );
    let failureCount = 0;
    for (const bound of /** @type {const} */ (['oldest', 'newest'])) {
      print(`\n--- the ${bound} peers the packages admit`);
      const projectDir = join(root, `project-${bound}`);
      mkdirSync(projectDir);
      const peers = resolvePeerVersions(ranges, published, bound);
      const failures = installAndImport(projectDir, packages, tarballs, peers);
      for (const failure of failures) printError(`FAIL (${bound} peers) ${failure}\n`);
      failureCount += failures.length;
    }
    return failureCount;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (
  process.argv[1] !== undefined &&
  import.meta.url === pathToFileURL(resolve(process.argv[1])).href
) {
  const workspaceRoot = dirname(dirname(fileURLToPath(import.meta.url)));
  try {
    const failures = checkPackages(workspaceRoot);
    if (failures > 0) {
      printError(`${failures} failure(s) installing the tarballs or importing their subpaths.`);
      process.exitCode = 1;
    } else {
      print(
        'every subpath export imports from the installed tarballs, with the oldest and the newest peers.',
      );
    }
  } catch (error) {
    printError(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  }
}
