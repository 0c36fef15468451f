import { describe, expect, it } from 'vitest';
import { waitUntil } from './wait-until.js';

describe('waitUntil', () => {
  it('resolves when the condition becomes true after some checks', async () => {
    let checks = 0;
    await waitUntil(() => (checks += 1) === 3, { intervalMs: 1 });
    expect(checks).toBe(3);
  });

  it('rejects naming what it waited for when the condition never holds', async () => {
    const failure = new Error('still down');
    const waiting = waitUntil(
      () => {
        throw failure;
      },
      { timeoutMs: 20, intervalMs: 1, description: 'the server' },
    );
    await expect(waiting).rejects.toThrow(/waiting for the server/);
    await expect(waiting).rejects.toMatchObject({ cause: failure });
  });
});
