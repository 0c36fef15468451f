// Writes, or with `--check` compares, one API Extractor report per subpath export of every
// published package (`packages/<name>/api/<subpath>.api.md`). The reports are committed, so a
// change to the public surface shows up as a diff in review, and the check fails CI when the
// built declarations no longer match the committed reports.
import {
  CompilerState,
  Extractor,
  ExtractorConfig,
  ExtractorLogLevel,
} from '@microsoft/api-extractor';
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
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { importSpecifier, listSubpaths, publishedPackages } from './pack-and-install.mjs';
import { entryOfExport } from './package-entries.mjs';

/** @param {string} line */
const print = (line) => process.stdout.write(`${line}\n`);
/** @param {string} line */
const printError = (line) => process.stderr.write(`${line}\n`);

const REPORT_FOLDER = 'api';
const REPORT_SUFFIX = '.api.md';

/** @typedef {'differs' | 'missing' | 'stale'} ReportProblem */

/** @type {Record<ReportProblem, string>} */
const PROBLEM_TEXT = {
  differs: 'differs from the built declarations',
  missing: 'is missing',
  stale: 'belongs to no export any more',
};

// What API Extractor reports, and where. The reports must change only when the surface does.
// - Off: the release-tag warning on every export (this project uses no @public/@beta tags), and
//   every message about doc comments (TSDoc grammar, {@link} and {@inheritDoc} targets, package
//   doc placement, missing docs). The comments are written for TypeDoc, which checks them in
//   `pnpm run docs`, and API Extractor cannot resolve links across this repository's subpaths.
// - In the report, as a warning comment next to the declaration: every other finding. Today that
//   is ae-forgotten-export in subpath reports only: a type the entry uses but does not export.
//   tsup's declaration build moves shared types into chunks, so a type the package exports from
//   its root still counts as forgotten in a subpath; a type that no entry exports gets the same
//   comment and is a real gap. Review sees either where the surface changes; neither fails.
// - Failing the run: compiler errors in the declarations, since a report of types that do not
//   resolve describes the wrong surface, and any finding that cannot be placed in a report.
const DOC_COMMENT_MESSAGES = [
  'ae-cyclic-inherit-doc',
  'ae-misplaced-package-tag',
  'ae-setter-with-docs',
  'ae-undocumented',
  'ae-unresolved-inheritdoc-base',
  'ae-unresolved-inheritdoc-reference',
  'ae-unresolved-link',
];
const MESSAGES = {
  compilerMessageReporting: { default: { logLevel: 'error' } },
  extractorMessageReporting: {
    default: { logLevel: 'warning', addToApiReportFile: true },
    'ae-missing-release-tag': { logLevel: 'none' },
    ...Object.fromEntries(DOC_COMMENT_MESSAGES.map((id) => [id, { logLevel: 'none' }])),
  },
  tsdocMessageReporting: { default: { logLevel: 'none' } },
};

/**
 * The report file of a subpath export, relative to its package folder: the root export is
 * `index`, any other is named after its subpath, keeping the folders of a nested one.
 *
 * @example
 * ```js
 * reportFileOf('.'); // 'api/index.api.md'
 * reportFileOf('./postgres'); // 'api/postgres.api.md'
 * ```
 *
 * @param {string} subpath a key of `exports`, such as `.` or `./postgres`
 * @returns {string}
 */
export function reportFileOf(subpath) {
  const name = subpath === '.' ? 'index' : subpath.slice('./'.length);
  return `${REPORT_FOLDER}/${name}${REPORT_SUFFIX}`;
}

/**
 * The entry points of a package to report on: one per subpath export, with the built declaration
 * file API Extractor reads and the report it produces, both relative to the package folder.
 *
 * @example
 * ```js
 * reportEntries({
 *   name: '@carequeue/core',
 *   exports: { './sql': { types: './dist/sql/index.d.ts', default: './dist/sql/index.js' } },
 * });
 * // [{ subpath: './sql', declarationFile: 'dist/sql/index.d.ts', reportFile: 'api/sql.api.md' }]
 * ```
 *
 * @param {{ name: string; exports?: Record<string, unknown> }} manifest a parsed package.json
 * @returns {Array<{ subpath: string; declarationFile: string; reportFile: string }>}
 * @throws {Error} when an export is a pattern or points outside `./dist`, or when two subpaths
 *   would share a report file (`.` and `./index`)
 */
export function reportEntries(manifest) {
  const entries = listSubpaths(manifest.exports).map((subpath) => ({
    subpath,
    declarationFile: `dist/${entryOfExport(manifest, subpath)}.d.ts`,
    reportFile: reportFileOf(subpath),
  }));
  /** @type {Map<string, string>} */
  const owners = new Map();
  for (const { subpath, reportFile } of entries) {
    const owner = owners.get(reportFile);
    if (owner !== undefined) {
      throw new Error(`${manifest.name}: exports ${owner} and ${subpath} share ${reportFile}`);
    }
    owners.set(reportFile, subpath);
  }
  return entries;
}

/**
 * Compares the committed reports with the ones generated from the built declarations. Both are
 * keyed by path; a report that only the generator has is missing, one that only the repository
 * has is stale.
 *
 * @example
 * ```js
 * compareReports(
 *   new Map([['packages/core/api/index.api.md', 'old'], ['packages/core/api/gone.api.md', 'x']]),
 *   new Map([['packages/core/api/index.api.md', 'new']]),
 * );
 * // [{ file: 'packages/core/api/gone.api.md', problem: 'stale' },
 * //  { file: 'packages/core/api/index.api.md', problem: 'differs' }]
 * ```
 *
 * @param {ReadonlyMap<string, string>} committed report path to the committed text
 * @param {ReadonlyMap<string, string>} generated report path to the generated text
 * @returns {Array<{ file: string; problem: ReportProblem }>} sorted by path; empty when in step
 */
export function compareReports(committed, generated) {
  /** @type {Array<{ file: string; problem: ReportProblem }>} */
  const problems = [];
  for (const [file, text] of generated) {
    const current = committed.get(file);
    if (current === undefined) problems.push({ file, problem: 'missing' });
    else if (current !== text) problems.push({ file, problem: 'differs' });
  }
  for (const file of committed.keys()) {
    if (!generated.has(file)) problems.push({ file, problem: 'stale' });
  }
  return problems.sort((a, b) => a.file.localeCompare(b.file));
}

/**
 * Reads every committed report under `packages/*\/api`, private packages included, so that the
 * reports of a package that stopped being published count as stale.
 *
 * @param {string} workspaceRoot
 * @returns {Map<string, string>} path relative to the workspace root to the report text
 */
function readCommittedReports(workspaceRoot) {
  /** @type {Map<string, string>} */
  const reports = new Map();
  const packagesDir = join(workspaceRoot, 'packages');
  for (const name of readdirSync(packagesDir)) {
    const reportDir = join(packagesDir, name, REPORT_FOLDER);
    if (!existsSync(reportDir)) continue;
    for (const file of readdirSync(reportDir, { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith(REPORT_SUFFIX)) continue;
      const path = join(reportDir, file);
      // A checkout that converts line endings must not make every report differ.
      const text = readFileSync(path, 'utf8').replaceAll('\r\n', '\n');
      reports.set(relative(workspaceRoot, path), text);
    }
  }
  return reports;
}

/**
 * Runs API Extractor on each entry of one package. The entries share one TypeScript program, and
 * API Extractor writes each report into `scratchDir`, from where it is read back.
 *
 * @param {string} workspaceRoot
 * @param {{ dir: string; manifest: { name: string } }} pkg
 * @param {ReturnType<typeof reportEntries>} entries
 * @param {string} scratchDir an empty folder outside the workspace
 * @returns {Map<string, string>} report path relative to the workspace root to the report text
 */
function extractReports(workspaceRoot, { dir, manifest }, entries, scratchDir) {
  const declarationFiles = entries.map(({ declarationFile }) => join(dir, declarationFile));
  /** @type {CompilerState | undefined} */
  let compilerState;
  /** @type {Map<string, string>} */
  const reports = new Map();
  for (const { subpath, declarationFile, reportFile } of entries) {
    const config = ExtractorConfig.prepare({
      configObject: {
        projectFolder: dir,
        mainEntryPointFilePath: join(dir, declarationFile),
        compiler: {
          // The repository's compiler settings (NodeNext resolution, Node types), over the
          // declarations only: API Extractor reads what consumers get, not the sources.
          overrideTsconfig: {
            extends: join(workspaceRoot, 'tsconfig.base.json'),
            files: declarationFiles,
          },
        },
        newlineKind: 'lf',
        apiReport: {
          enabled: true,
          reportFileName: 'report',
          // The same folder for both, so API Extractor compares the report with itself and
          // leaves the comparison with the committed report to this script.
          reportFolder: scratchDir,
          reportTempFolder: scratchDir,
          // A type the entry uses without exporting it still binds consumers; listing its
          // declaration makes a change to it visible in this report too.
          includeForgottenExports: true,
        },
        docModel: { enabled: false },
        dtsRollup: { enabled: false },
        tsdocMetadata: { enabled: false },
        messages: MESSAGES,
      },
      configObjectFullPath: undefined,
      packageJsonFullPath: join(dir, 'package.json'),
    });
    compilerState ??= CompilerState.create(config, { additionalEntryPoints: declarationFiles });
    /** @type {string[]} */
    const failures = [];
    Extractor.invoke(config, {
      compilerState,
      messageCallback: (message) => {
        message.handled = true;
        if (
          message.logLevel === ExtractorLogLevel.Error ||
          message.logLevel === ExtractorLogLevel.Warning
        ) {
          failures.push(message.formatMessageWithLocation(dir));
        }
      },
    });
    const specifier = importSpecifier(manifest.name, subpath);
    if (failures.length > 0) {
      throw new Error(
        `${specifier}: API Extractor failed on ${declarationFile}:\n${failures.join('\n')}`,
      );
    }
    const text = readFileSync(join(scratchDir, `report${REPORT_SUFFIX}`), 'utf8');
    reports.set(relative(workspaceRoot, join(dir, reportFile)), text);
  }
  return reports;
}

/**
 * Generates every report, then writes them or compares them with the committed ones.
 *
 * @param {string} workspaceRoot
 * @param {boolean} check compare only, instead of rewriting the reports
 * @returns {boolean} whether the committed reports are (now) in step with the declarations
 */
function run(workspaceRoot, check) {
  const packages = publishedPackages(workspaceRoot).map((pkg) => ({
    ...pkg,
    entries: reportEntries(pkg.manifest),
  }));
  const unbuilt = packages.flatMap(({ dir, entries }) =>
    entries
      .map(({ declarationFile }) => join(dir, declarationFile))
      .filter((file) => !existsSync(file))
      .map((file) => relative(workspaceRoot, file)),
  );
  if (unbuilt.length > 0) {
    throw new Error(
      `the reports are generated from the built declarations, and these are missing:\n` +
        `  ${unbuilt.join('\n  ')}\nRun \`pnpm build\` first.`,
    );
  }

  /** @type {Map<string, string>} */
  const generated = new Map();
  /** @type {Map<string, string>} */
  const specifiers = new Map();
  const scratchDir = mkdtempSync(join(tmpdir(), 'carequeue-api-report-'));
  try {
    for (const pkg of packages) {
      for (const [file, text] of extractReports(workspaceRoot, pkg, pkg.entries, scratchDir)) {
        generated.set(file, text);
      }
      for (const { subpath, reportFile } of pkg.entries) {
        specifiers.set(
          relative(workspaceRoot, join(pkg.dir, reportFile)),
          importSpecifier(pkg.manifest.name, subpath),
        );
      }
    }
  } finally {
    rmSync(scratchDir, { recursive: true, force: true });
  }

  const problems = compareReports(readCommittedReports(workspaceRoot), generated);
  if (check) {
    if (problems.length === 0) {
      print(`${generated.size} API reports match the built declarations.`);
      return true;
    }
    printError('The public API differs from the committed reports:');
    for (const { file, problem } of problems) {
      const specifier = specifiers.get(file);
      const entry = specifier === undefined ? '' : ` (${specifier})`;
      printError(`  ${file}${entry} ${PROBLEM_TEXT[problem]}`);
    }
    printError('If the change is intended, run `pnpm api:update` and commit the reports.');
    return false;
  }

  for (const { file, problem } of problems) {
    const path = join(workspaceRoot, file);
    if (problem === 'stale') {
      rmSync(path);
      print(`removed ${file}`);
    } else {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, generated.get(file) ?? '');
      print(`${problem === 'missing' ? 'created' : 'updated'} ${file}`);
    }
  }
  print(`${generated.size} API reports, ${problems.length} changed.`);
  return true;
}

if (
  process.argv[1] !== undefined &&
  import.meta.url === pathToFileURL(resolve(process.argv[1])).href
) {
  const workspaceRoot = dirname(dirname(fileURLToPath(import.meta.url)));
  try {
    if (!run(workspaceRoot, process.argv.includes('--check'))) process.exitCode = 1;
  } catch (error) {
    printError(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  }
}
