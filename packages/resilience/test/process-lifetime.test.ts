import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The scripts import @carequeue/resilience by name, so they run the built dist (`pnpm build`
// first). A script still running after HANG_BOUND_MS is killed, which fails the test; the
// bound is generous because starting Node on a busy machine can take seconds.
const HANG_BOUND_MS = 30_000;
const TEST_TIMEOUT_MS = HANG_BOUND_MS + 15_000;

function runScript(name: string) {
  const script = fileURLToPath(new URL(`fixtures/${name}`, import.meta.url));
  return spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: HANG_BOUND_MS });
}

describe('resilience timers and the life of a Node process', { timeout: TEST_TIMEOUT_MS }, () => {
  it('an awaited retry back-off keeps the process alive until the retry finishes', () => {
    const result = runScript('awaited-retry.mjs');
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('delivered after 3 attempts\n');
    expect(result.status).toBe(0);
  });

  it('lets the process exit on its own once an open breaker has nothing left to await', () => {
    const result = runScript('open-breaker.mjs');
    expect(result.signal).toBeNull();
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('open\n');
    expect(result.status).toBe(0);
  });
});
