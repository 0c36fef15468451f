import type { BenchCase, CaseContext } from './case-definition.js';
import { interleavedSchedule } from './interleave.js';

/** The raw samples of one run of one case. */
export interface CaseSamples {
  readonly id: string;
  readonly ours: number[];
  /** Null for an absolute case with no peer. */
  readonly peer: number[] | null;
}

/**
 * Runs one case: setup, interleaved warm-up and measured rounds, teardown (even on failure).
 *
 * In smoke mode each side runs one measured round and no warm-up.
 *
 * @throws whatever the case's setup, rounds or teardown throw.
 * @example
 * ```ts
 * const samples = await runCase(uuidCase, { smoke: false, services });
 * samples.ours.length; // rounds x batches per round
 * ```
 */
export async function runCase(benchCase: BenchCase, context: CaseContext): Promise<CaseSamples> {
  const prepared = await benchCase.prepare(context);
  try {
    const ours: number[] = [];
    const peer: number[] = [];
    const schedule = interleavedSchedule({
      rounds: context.smoke ? 1 : benchCase.rounds,
      warmupRounds: context.smoke ? 0 : benchCase.warmupRounds,
      hasPeer: prepared.hasPeer,
    });
    for (const { side, warmup } of schedule) {
      const samples = await prepared.measureRound(side, { smoke: context.smoke, warmup });
      if (!warmup) (side === 'ours' ? ours : peer).push(...samples);
    }
    return { id: benchCase.id, ours, peer: prepared.hasPeer ? peer : null };
  } finally {
    await prepared.teardown();
  }
}
