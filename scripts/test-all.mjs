// `pnpm test`: build first (type-aware lint and the type-check read the packages' declarations),
// then the checks in the order a failure is cheapest to find, ending with one summary line of
// test counts across every workspace package.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const resultsFile = 'coverage/vitest-results.json';
const testedFolders = ['packages', 'tools', 'examples']
  .flatMap((group) =>
    existsSync(join(root, group))
      ? readdirSync(join(root, group)).map((name) => join(root, group, name))
      : [],
  )
  .concat(join(root, 'bench'))
  .filter((dir) => existsSync(join(dir, 'package.json')));

const steps = [
  ['build', 'pnpm', ['build']],
  ['lint', 'pnpm', ['lint']],
  ['typecheck', 'pnpm', ['typecheck']],
  ['API reports', 'pnpm', ['api:check']],
  ['browser bundle of @carequeue/core', 'pnpm', ['check:browser']],
  [
    'tests with coverage thresholds',
    'pnpm',
    [
      '-r',
      '--workspace-concurrency=2',
      '--no-bail',
      'run',
      'test',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${resultsFile}`,
    ],
  ],
  ['benchmark smoke run', 'pnpm', ['--filter', '@carequeue/bench', 'run', 'bench', '--smoke']],
];

for (const dir of testedFolders) rmSync(join(dir, resultsFile), { force: true });

const failedSteps = [];
for (const [title, command, args] of steps) {
  console.log(`\n=== ${title}: ${command} ${args.join(' ')}`);
  const { status } = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (status !== 0) {
    failedSteps.push(title);
    // Every later step needs the built packages; after a lint failure the tests still run, so one
    // run shows both.
    if (title === 'build') break;
  }
}

let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];
for (const dir of testedFolders) {
  const file = join(dir, resultsFile);
  if (!existsSync(file)) continue;
  const results = JSON.parse(readFileSync(file, 'utf8'));
  passed += results.numPassedTests;
  failed += results.numFailedTests;
  skipped += results.numPendingTests + results.numTodoTests;
  for (const testFile of results.testResults) {
    for (const test of testFile.assertionResults) {
      if (test.status !== 'failed') continue;
      const firstLine = (test.failureMessages[0] ?? '').split('\n')[0];
      failures.push(`${testFile.name.slice(root.length)}: ${test.fullName}\n    ${firstLine}`);
    }
  }
}

// CI keeps only the end of a long log, so the failed tests are named again here.
if (failures.length > 0) console.log(`\nfailed tests:\n  ${failures.join('\n  ')}`);

console.log(
  failedSteps.length === 0 ? '\nAll steps passed.' : `\nFailed steps: ${failedSteps.join(', ')}.`,
);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failedSteps.length === 0 && failed === 0 ? 0 : 1);
