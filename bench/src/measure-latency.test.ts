import { describe, expect, it } from 'vitest';
import { measureLatencyRound } from './measure-latency.js';

describe('measureLatencyRound', () => {
  it('calls a sync operation once per op plus one probe when timing batches', async () => {
    let calls = 0;
    const samples = await measureLatencyRound(
      () => {
        calls += 1;
      },
      { opsPerBatch: 50, batchesPerRound: 4, nanosecondsPerUnit: 1 },
    );
    expect(samples).toHaveLength(4);
    expect(calls).toBe(201);
    expect(samples.every((sample) => Number.isFinite(sample) && sample >= 0)).toBe(true);
  });

  it('awaits every call when the operation returns a promise', async () => {
    let settled = 0;
    const samples = await measureLatencyRound(
      async () => {
        await Promise.resolve();
        settled += 1;
      },
      { opsPerBatch: 10, batchesPerRound: 2, nanosecondsPerUnit: 1e6 },
    );
    expect(samples).toHaveLength(2);
    expect(settled).toBe(21);
  });
});
