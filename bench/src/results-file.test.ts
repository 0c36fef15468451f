import { describe, expect, it } from 'vitest';
import { mergeResults, type CaseResult, type ResultsFile } from './results-file.js';

function caseResult(id: string, ours: number): CaseResult {
  return {
    id,
    unit: 'ns/op',
    better: 'lower',
    ours,
    ourP99: ours * 2,
    peer: null,
    peerP99: null,
    peerName: null,
    ratio: null,
    target: null,
    notes: '',
  };
}

const machine = {
  cpus: 2,
  node: 'v20.20.2',
  v8: '11.3.244.8-node.38',
  postgres: '15.18',
  redis: null,
};

const previous: ResultsFile = {
  when: '2026-11-01T00:00:00.000Z',
  machine,
  versions: { uuid: '14.0.3', opossum: '9.0.0' },
  cases: [
    caseResult('core.id.uuidv7', 300),
    caseResult('resilience.breaker.execute', 700),
    caseResult('resilience.retry.success', 900),
  ],
};

const resilienceRun: ResultsFile = {
  when: '2026-11-25T00:00:00.000Z',
  machine: { ...machine, redis: '7.0.15' },
  versions: { opossum: '9.0.1', cockatiel: '3.2.1' },
  cases: [caseResult('resilience.breaker.execute', 650), caseResult('resilience.bulkhead.run', 80)],
};

describe('mergeResults', () => {
  it('keeps other suites and replaces the run suite when a suite run is merged', () => {
    const merged = mergeResults(previous, resilienceRun, 'resilience');
    expect(merged.cases.map((c) => [c.id, c.ours])).toEqual([
      ['core.id.uuidv7', 300],
      ['resilience.breaker.execute', 650],
      ['resilience.bulkhead.run', 80],
    ]);
  });

  it('takes time, machine and newer versions from the run when merging', () => {
    const merged = mergeResults(previous, resilienceRun, 'resilience');
    expect(merged.when).toBe(resilienceRun.when);
    expect(merged.machine.redis).toBe('7.0.15');
    expect(merged.versions).toEqual({ uuid: '14.0.3', opossum: '9.0.1', cockatiel: '3.2.1' });
  });

  it('replaces every case when a full run is merged', () => {
    const merged = mergeResults(previous, resilienceRun, null);
    expect(merged.cases.map((c) => c.id)).toEqual([
      'resilience.breaker.execute',
      'resilience.bulkhead.run',
    ]);
  });

  it('returns the run sorted by id when there are no previous results', () => {
    const merged = mergeResults(null, resilienceRun, 'resilience');
    expect(merged.cases.map((c) => c.id)).toEqual([
      'resilience.breaker.execute',
      'resilience.bulkhead.run',
    ]);
  });
});
