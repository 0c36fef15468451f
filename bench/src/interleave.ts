import type { Side } from './case-definition.js';

/** One round of one side in a case run. */
export interface ScheduledRound {
  readonly side: Side;
  /** Warm-up rounds run first and their samples are discarded. */
  readonly warmup: boolean;
}

/**
 * The order in which a case's rounds run: ours, peer, ours, peer... warm-up pairs first, so a
 * slow stretch of a shared machine hits both sides instead of one.
 *
 * @example
 * ```ts
 * interleavedSchedule({ rounds: 2, warmupRounds: 1, hasPeer: true }).map((r) => r.side);
 * // ['ours', 'peer', 'ours', 'peer', 'ours', 'peer'] (the first pair is warm-up)
 * ```
 */
export function interleavedSchedule(options: {
  readonly rounds: number;
  readonly warmupRounds: number;
  readonly hasPeer: boolean;
}): ScheduledRound[] {
  const sides: Side[] = options.hasPeer ? ['ours', 'peer'] : ['ours'];
  const schedule: ScheduledRound[] = [];
  for (let round = 0; round < options.warmupRounds + options.rounds; round += 1) {
    const warmup = round < options.warmupRounds;
    for (const side of sides) schedule.push({ side, warmup });
  }
  return schedule;
}
