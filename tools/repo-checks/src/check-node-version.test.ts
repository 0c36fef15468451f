import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeVersionProblem } from '../../../scripts/check-node-version.mjs';
import { readWorkspacePackages, repositoryRoot } from './workspace.js';

describe('nodeVersionProblem', () => {
  it('names the required and the found version in one line when Node is below the floor', () => {
    const problem = nodeVersionProblem('>=22.12', 'v20.20.2');
    expect(problem).toContain('>=22.12');
    expect(problem).toContain('v20.20.2');
    expect(problem).not.toContain('\n');
    expect(nodeVersionProblem('>=22.12', '22.11.9')).toContain('v22.11.9');
  });

  it('accepts the floor itself and every later minor or major', () => {
    for (const found of ['v22.12.0', '22.13.1', 'v24.22.3', '26.0.0', '100.0.0']) {
      expect(nodeVersionProblem('>=22.12', found)).toBeNull();
    }
  });

  it('refuses a floor that is not of the >=MAJOR.MINOR form', () => {
    expect(() => nodeVersionProblem('^22.12.0', 'v24.0.0')).toThrow('>=MAJOR.MINOR');
  });

  it('lets the running Node through when run as a script, printing nothing', () => {
    const script = join(repositoryRoot, 'scripts/check-node-version.mjs');
    const run = spawnSync(process.execPath, [script], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
  });
});

describe('the Node floor', () => {
  const rootManifest = JSON.parse(readFileSync(join(repositoryRoot, 'package.json'), 'utf8')) as {
    engines: { node: string };
  };
  const floor = rootManifest.engines.node;

  it('is >=22.12 at the root, the range the version check reads', () => {
    expect(floor).toBe('>=22.12');
  });

  it.each(
    ['packages', 'tools', 'examples', '.']
      .flatMap((group) => readWorkspacePackages(group))
      .map((pkg) => [pkg.manifest.name, pkg] as const),
  )('is the same in %s', (_name, { manifest }) => {
    expect(manifest.engines).toEqual({ node: floor });
  });
});
