import { describe, expect, it } from 'vitest';
import { interleavedSchedule } from './interleave.js';

describe('interleavedSchedule', () => {
  it('alternates ours and peer with warm-up pairs first when there is a peer', () => {
    expect(interleavedSchedule({ rounds: 2, warmupRounds: 1, hasPeer: true })).toEqual([
      { side: 'ours', warmup: true },
      { side: 'peer', warmup: true },
      { side: 'ours', warmup: false },
      { side: 'peer', warmup: false },
      { side: 'ours', warmup: false },
      { side: 'peer', warmup: false },
    ]);
  });

  it('schedules only our side when the case has no peer', () => {
    expect(interleavedSchedule({ rounds: 2, warmupRounds: 0, hasPeer: false })).toEqual([
      { side: 'ours', warmup: false },
      { side: 'ours', warmup: false },
    ]);
  });
});
