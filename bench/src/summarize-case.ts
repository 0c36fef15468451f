import type { BenchCase } from './case-definition.js';
import type { CaseResult } from './results-file.js';
import type { CaseSamples } from './run-case.js';
import { median, roundSignificant, tailP99 } from './statistics.js';
import { ratioOf } from './verdict.js';

const FIGURE_DIGITS = 4;
const RATIO_DIGITS = 3;

function assertUsable(id: string, side: string, samples: readonly number[]): void {
  if (samples.length === 0) throw new Error(`${id}: the ${side} side produced no samples.`);
  if (!samples.every((sample) => Number.isFinite(sample))) {
    throw new Error(`${id}: the ${side} side produced a sample that is not a finite number.`);
  }
}

/**
 * Turns a case's samples (pooled over rounds and repeats) into its results-file entry: medians,
 * p99 tails and the ratio, rounded so that results read and diff well.
 *
 * @throws Error when a side has no samples or a sample is not a finite number.
 * @example
 * ```ts
 * const result = summarizeCase(uuidCase, await runCase(uuidCase, context));
 * result.ratio; // for example 0.8
 * ```
 */
export function summarizeCase(benchCase: BenchCase, samples: CaseSamples): CaseResult {
  assertUsable(benchCase.id, 'ours', samples.ours);
  if (samples.peer !== null) assertUsable(benchCase.id, 'peer', samples.peer);
  const ours = median(samples.ours);
  const peer = samples.peer === null ? null : median(samples.peer);
  const ratio = ratioOf(ours, peer);
  return {
    id: benchCase.id,
    unit: benchCase.unit,
    better: benchCase.better,
    ours: roundSignificant(ours, FIGURE_DIGITS),
    ourP99: roundSignificant(tailP99(samples.ours, benchCase.better), FIGURE_DIGITS),
    peer: peer === null ? null : roundSignificant(peer, FIGURE_DIGITS),
    peerP99:
      samples.peer === null
        ? null
        : roundSignificant(tailP99(samples.peer, benchCase.better), FIGURE_DIGITS),
    peerName: benchCase.peerName,
    ratio: ratio === null ? null : roundSignificant(ratio, RATIO_DIGITS),
    target: benchCase.target,
    notes: benchCase.notes,
  };
}
