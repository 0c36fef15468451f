import type { Better } from './case-definition.js';

/** How a case compares with its target. */
export type Verdict = 'met' | 'missed' | 'no target';

/**
 * The ratio of our median to the peer's (ours / peer), or null when there is no peer.
 *
 * @throws RangeError when the peer's median is zero, since no ratio exists then.
 * @example
 * ```ts
 * ratioOf(640, 600); // 1.0666...
 * ratioOf(640, null); // null
 * ```
 */
export function ratioOf(ours: number, peer: number | null): number | null {
  if (peer === null) return null;
  if (peer === 0) throw new RangeError('The peer median is 0, so no ratio can be formed.');
  return ours / peer;
}

/**
 * Judges a case against its target: the ratio when there is a peer, otherwise our own figure,
 * at or below the target when lower is better, at or above it when higher is better.
 *
 * @example
 * ```ts
 * verdictOf({ better: 'lower', target: 1.15, ratio: 1.07, ours: 640 }); // 'met'
 * verdictOf({ better: 'higher', target: 30_000, ratio: null, ours: 21_000 }); // 'missed'
 * ```
 */
export function verdictOf(result: {
  readonly better: Better;
  readonly target: number | null;
  readonly ratio: number | null;
  readonly ours: number;
}): Verdict {
  if (result.target === null) return 'no target';
  const judged = result.ratio ?? result.ours;
  const met = result.better === 'lower' ? judged <= result.target : judged >= result.target;
  return met ? 'met' : 'missed';
}
