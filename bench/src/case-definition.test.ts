import { describe, expect, it } from 'vitest';
import { defineCase, isBenchCase } from './case-definition.js';

const services = { postgres: 'postgres://unused', redis: 'redis://unused' };

describe('defineCase', () => {
  it('applies the default round counts when the case sets none', () => {
    const benchCase = defineCase({
      id: 'core.id.noop',
      kind: 'latency',
      unit: 'ns/op',
      better: 'lower',
      target: null,
      peerName: null,
      notes: '',
      ours: () => () => undefined,
    });
    expect(benchCase).toMatchObject({ rounds: 6, warmupRounds: 1, unit: 'ns/op' });
    expect(isBenchCase(benchCase)).toBe(true);
  });

  it('throws when the id does not start with a suite', () => {
    expect(() =>
      defineCase({
        id: 'uuidv7',
        kind: 'samples',
        unit: 'ms',
        better: 'lower',
        target: null,
        peerName: null,
        notes: '',
        ours: () => Promise.resolve([1]),
      }),
    ).toThrow(/dot-separated/);
  });

  it('throws when a peer is given without a peer name', () => {
    expect(() =>
      defineCase({
        id: 'core.id.half-peer',
        kind: 'samples',
        unit: 'ms',
        better: 'lower',
        target: null,
        peerName: null,
        notes: '',
        ours: () => Promise.resolve([1]),
        peer: () => Promise.resolve([1]),
      }),
    ).toThrow(/both peer and peerName/);
  });

  it('shrinks latency batches to smoke size when the round is a smoke round', async () => {
    let calls = 0;
    const prepared = await defineCase({
      id: 'core.count.calls',
      kind: 'latency',
      unit: 'us/op',
      better: 'lower',
      target: null,
      peerName: null,
      notes: '',
      ours: () => () => {
        calls += 1;
      },
    }).prepare({ smoke: true, services });
    const samples = await prepared.measureRound('ours', { smoke: true, warmup: false });
    expect(samples).toHaveLength(2);
    expect(calls).toBe(21);
  });

  it('uses the case batch sizes when the round is a full round', async () => {
    let calls = 0;
    const prepared = await defineCase({
      id: 'core.count.calls',
      kind: 'latency',
      unit: 'ms',
      better: 'lower',
      target: null,
      peerName: null,
      notes: '',
      opsPerBatch: 3,
      batchesPerRound: 5,
      ours: () => () => {
        calls += 1;
      },
    }).prepare({ smoke: false, services });
    expect(await prepared.measureRound('ours', { smoke: false, warmup: false })).toHaveLength(5);
    expect(calls).toBe(16);
  });

  it('gives each side its own operation built from the setup state when measuring', async () => {
    const seen: string[] = [];
    const benchCase = defineCase({
      id: 'core.sides.state',
      kind: 'throughput',
      unit: 'ops/s',
      better: 'higher',
      target: null,
      peerName: 'peer 1.0.0',
      notes: '',
      concurrency: 2,
      operations: 4,
      setup: ({ smoke }) => ({ label: smoke ? 'smoke' : 'full' }),
      ours: (state) => () => Promise.resolve(seen.push(`ours:${state.label}`)),
      peer: (state) => () => Promise.resolve(seen.push(`peer:${state.label}`)),
    });
    const prepared = await benchCase.prepare({ smoke: false, services });
    expect(prepared.hasPeer).toBe(true);
    expect(await prepared.measureRound('peer', { smoke: false, warmup: false })).toHaveLength(1);
    expect(seen).toEqual(['peer:full', 'peer:full', 'peer:full', 'peer:full']);
  });

  it('limits throughput rounds to two operations per caller when the round is a smoke round', async () => {
    let completed = 0;
    const prepared = await defineCase({
      id: 'core.sides.smoke',
      kind: 'throughput',
      unit: 'ops/s',
      better: 'higher',
      target: null,
      peerName: null,
      notes: '',
      concurrency: 3,
      ours: () => () => Promise.resolve((completed += 1)),
    }).prepare({ smoke: true, services });
    await prepared.measureRound('ours', { smoke: true, warmup: false });
    expect(completed).toBe(6);
  });

  it('throws when asked to measure a side the case does not have', async () => {
    const definitions = [
      defineCase({
        id: 'core.one.latency',
        kind: 'latency',
        unit: 'ns/op',
        better: 'lower',
        target: null,
        peerName: null,
        notes: '',
        ours: () => () => 1,
      }),
      defineCase({
        id: 'core.one.throughput',
        kind: 'throughput',
        unit: 'ops/s',
        better: 'higher',
        target: null,
        peerName: null,
        notes: '',
        concurrency: 1,
        ours: () => () => Promise.resolve(1),
      }),
      defineCase({
        id: 'core.one.samples',
        kind: 'samples',
        unit: 'ms',
        better: 'lower',
        target: null,
        peerName: null,
        notes: '',
        ours: () => Promise.resolve([1]),
      }),
    ];
    for (const benchCase of definitions) {
      const prepared = await benchCase.prepare({ smoke: true, services });
      await expect(prepared.measureRound('peer', { smoke: true, warmup: false })).rejects.toThrow(
        /has no peer side/,
      );
    }
  });

  it('passes the setup state to teardown when the case is torn down', async () => {
    const released: number[] = [];
    const prepared = await defineCase({
      id: 'core.life.cycle',
      kind: 'samples',
      unit: 'ms',
      better: 'lower',
      target: null,
      peerName: null,
      notes: '',
      setup: () => Promise.resolve({ handle: 42 }),
      teardown: (state) => {
        released.push(state.handle);
      },
      ours: () => Promise.resolve([1]),
    }).prepare({ smoke: false, services });
    await prepared.teardown();
    expect(released).toEqual([42]);
  });
});

describe('isBenchCase', () => {
  it('rejects plain objects when they were not made by defineCase', () => {
    expect(isBenchCase({ id: 'core.id.uuidv7' })).toBe(false);
    expect(isBenchCase(null)).toBe(false);
  });
});
