import { describe, expect, it } from 'vitest';
import { defineCase, type RoundContext, type Side } from './case-definition.js';
import { runCase } from './run-case.js';

const services = { postgres: 'postgres://unused', redis: 'redis://unused' };

function recordingCase(options: { withPeer: boolean; failOnRound?: number }) {
  const calls: string[] = [];
  let round = 0;
  const collect =
    (side: Side) =>
    (_state: unknown, context: RoundContext): Promise<number[]> => {
      round += 1;
      if (round === options.failOnRound) return Promise.reject(new Error('round failed'));
      calls.push(`${side}${context.warmup ? ' warmup' : ''}`);
      return Promise.resolve(side === 'ours' ? [round] : [round * 10]);
    };
  const benchCase = defineCase({
    id: 'fake.order.record',
    kind: 'samples',
    unit: 'ms',
    better: 'lower',
    target: null,
    notes: '',
    rounds: 2,
    warmupRounds: 1,
    teardown: () => {
      calls.push('teardown');
    },
    ...(options.withPeer
      ? { peerName: 'peer 1.0.0', ours: collect('ours'), peer: collect('peer') }
      : { peerName: null, ours: collect('ours') }),
  });
  return { benchCase, calls };
}

describe('runCase', () => {
  it('runs interleaved rounds and keeps only measured samples when there is a peer', async () => {
    const { benchCase, calls } = recordingCase({ withPeer: true });
    const samples = await runCase(benchCase, { smoke: false, services });
    expect(calls).toEqual([
      'ours warmup',
      'peer warmup',
      'ours',
      'peer',
      'ours',
      'peer',
      'teardown',
    ]);
    expect(samples).toEqual({ id: 'fake.order.record', ours: [3, 5], peer: [40, 60] });
  });

  it('runs one round per side without warm-up when in smoke mode', async () => {
    const { benchCase, calls } = recordingCase({ withPeer: true });
    const samples = await runCase(benchCase, { smoke: true, services });
    expect(calls).toEqual(['ours', 'peer', 'teardown']);
    expect(samples.ours).toEqual([1]);
  });

  it('returns a null peer when the case is absolute', async () => {
    const { benchCase } = recordingCase({ withPeer: false });
    expect((await runCase(benchCase, { smoke: false, services })).peer).toBeNull();
  });

  it('tears down and rethrows when a round throws', async () => {
    const { benchCase, calls } = recordingCase({ withPeer: true, failOnRound: 3 });
    await expect(runCase(benchCase, { smoke: false, services })).rejects.toThrow('round failed');
    expect(calls.at(-1)).toBe('teardown');
  });
});
