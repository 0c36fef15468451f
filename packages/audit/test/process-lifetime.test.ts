import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The script imports @carequeue/audit by name, so it runs the built dist (`pnpm build` first).
// A script still running after HANG_BOUND_MS is killed, which fails the test; the bound is
// generous because starting Node on a busy machine can take seconds.
const HANG_BOUND_MS = 30_000;
const TEST_TIMEOUT_MS = HANG_BOUND_MS + 15_000;

function runScript(name: string) {
  const script = fileURLToPath(new URL(`fixtures/${name}`, import.meta.url));
  return spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: HANG_BOUND_MS });
}

describe(
  'buffered audit writer and the life of a Node process',
  { timeout: TEST_TIMEOUT_MS },
  () => {
    it('an awaited buffered audit write keeps the process alive until the event is stored', () => {
      const result = runScript('awaited-audit-read.mjs');
      expect(result.stderr).toBe('');
      expect(result.stdout).toBe('stored 1 read event\n');
      expect(result.status).toBe(0);
    });
  },
);
