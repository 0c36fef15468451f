import { describe, expect, it, vi } from 'vitest';
import { measureThroughputRound } from './measure-throughput.js';

describe('measureThroughputRound', () => {
  it('runs exactly the requested operations across callers when given a count', async () => {
    let inFlight = 0;
    let peak = 0;
    let completed = 0;
    const rate = await measureThroughputRound(
      async () => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await new Promise((resolve) => setImmediate(resolve));
        inFlight -= 1;
        completed += 1;
      },
      { concurrency: 5, operations: 40 },
    );
    expect(completed).toBe(40);
    expect(peak).toBe(5);
    expect(rate).toBeGreaterThan(0);
  });

  it('stops starting operations and reports the rate when the duration has passed', async () => {
    let clockMs = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => clockMs);
    let completed = 0;
    const rate = await measureThroughputRound(
      async () => {
        clockMs += 10;
        await Promise.resolve();
        completed += 1;
      },
      { concurrency: 2, durationMs: 25 },
    );
    expect(completed).toBe(3);
    expect(rate).toBe(100);
  });

  it('throws when given neither a duration nor an operation count', async () => {
    await expect(
      measureThroughputRound(() => Promise.resolve(1), { concurrency: 1 }),
    ).rejects.toThrow(RangeError);
  });
});
