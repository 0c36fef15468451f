import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const repoRoot = join(import.meta.dirname, '../../..');
const script = join(repoRoot, 'scripts/check-browser-bundle.mjs');

function check(...entries: string[]) {
  return spawnSync(process.execPath, [script, ...entries], { cwd: repoRoot, encoding: 'utf8' });
}

describe('check-browser-bundle', () => {
  it('passes when it bundles the root entry of core', () => {
    const result = check();
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('browser bundle ok: packages/core/src/index.ts');
    expect(result.status).toBe(0);
  });

  it('fails and names the import when an entry needs a Node built-in', () => {
    const result = check(join(import.meta.dirname, 'fixtures/node-only-entry.ts'));
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      'Node built-in "node:fs" is imported by packages/core/test/fixtures/node-only-entry.ts',
    );
  });
});
