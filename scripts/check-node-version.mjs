// First step of `pnpm start`, `pnpm test` and `pnpm setup`: stops at once, with one line, on a
// Node.js older than the root package.json's `engines.node` (a `>=MAJOR.MINOR` floor), instead of
// letting an older runtime fail later with a syntax error or a dependency's stack trace. Written
// for any Node.js that can load an ES module, so that it runs on the versions it refuses.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Says why a Node.js version is below the project's floor, or returns null when it is not.
 *
 * @param {string} required the `engines.node` range, which must read `>=MAJOR.MINOR`
 * @param {string} found a version such as `20.20.2` or `v20.20.2`
 * @returns {string | null} the one-line message to print, or null when `found` is new enough
 * @throws {Error} when `required` is not of the `>=MAJOR.MINOR` form
 * @example
 * nodeVersionProblem('>=22.12', 'v20.20.2'); // 'CareQueue needs Node.js >=22.12 ...; this is v20.20.2. ...'
 * nodeVersionProblem('>=22.12', '24.22.3'); // null
 */
export function nodeVersionProblem(required, found) {
  const floor = /^>=(\d+)\.(\d+)$/.exec(required);
  if (floor === null) throw new Error(`engines.node must read >=MAJOR.MINOR, not ${required}`);
  const [major, minor] = found.replace(/^v/, '').split('.').map(Number);
  const floorMajor = Number(floor[1]);
  const floorMinor = Number(floor[2]);
  if (major > floorMajor || (major === floorMajor && minor >= floorMinor)) return null;
  return (
    `CareQueue needs Node.js ${required} (24 LTS recommended); this is v${found.replace(/^v/, '')}. ` +
    'Put a newer Node.js first on PATH and run the command again.'
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  const problem = nodeVersionProblem(manifest.engines.node, process.version);
  if (problem !== null) {
    process.stderr.write(`${problem}\n`);
    process.exit(1);
  }
}
