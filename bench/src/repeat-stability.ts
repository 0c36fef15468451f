import type { CaseSamples } from './run-case.js';
import { median, roundSignificant } from './statistics.js';

/**
 * Medians of repeats must agree within this fraction (BENCHMARKS.md: 10%).
 *
 * @example
 * ```ts
 * const stable = spread <= STABILITY_TOLERANCE;
 * ```
 */
export const STABILITY_TOLERANCE = 0.1;

/** How far one side's medians drifted across repeats. */
export interface SideStability {
  /** The median of each repeat, in run order. */
  readonly medians: readonly number[];
  /** (max - min) / min of those medians. */
  readonly spread: number;
}

/** Whether a case's medians agreed across repeats. */
export interface CaseStability {
  readonly id: string;
  readonly ours: SideStability;
  readonly peer: SideStability | null;
  /** True when every side's spread is within {@link STABILITY_TOLERANCE}. */
  readonly stable: boolean;
}

function sideStability(medians: number[]): SideStability {
  const low = Math.min(...medians);
  const high = Math.max(...medians);
  const spread = low === high ? 0 : (high - low) / Math.abs(low);
  return { medians, spread };
}

/**
 * Checks that repeated runs of the same selection agree: for each case and side, the spread of
 * the per-repeat medians must be within 10%.
 *
 * @example
 * ```ts
 * const report = checkStability([firstRun, secondRun, thirdRun]);
 * report.every((c) => c.stable); // true when the machine was quiet enough
 * ```
 */
export function checkStability(repeats: readonly (readonly CaseSamples[])[]): CaseStability[] {
  const byId = new Map<string, CaseSamples[]>();
  for (const run of repeats) {
    for (const samples of run) byId.set(samples.id, [...(byId.get(samples.id) ?? []), samples]);
  }
  return [...byId].map(([id, runs]) => {
    const ours = sideStability(runs.map((run) => median(run.ours)));
    const peerRuns = runs.flatMap((run) => (run.peer === null ? [] : [run.peer]));
    const peer = peerRuns.length === 0 ? null : sideStability(peerRuns.map(median));
    const stable =
      ours.spread <= STABILITY_TOLERANCE && (peer === null || peer.spread <= STABILITY_TOLERANCE);
    return { id, ours, peer, stable };
  });
}

function describeSide(name: string, side: SideStability): string {
  const medians = side.medians
    .map((value) => roundSignificant(value, 4).toLocaleString('en-US'))
    .join(', ');
  return `${name} spread ${(side.spread * 100).toFixed(1)}% (medians ${medians})`;
}

/**
 * Formats a stability check as lines for the terminal, one per case plus a summary.
 *
 * @example
 * ```ts
 * for (const line of formatStability(checkStability(repeats))) console.log(line);
 * ```
 */
export function formatStability(report: readonly CaseStability[]): string[] {
  const lines = report.map((entry) => {
    const sides = [describeSide('ours', entry.ours)];
    if (entry.peer !== null) sides.push(describeSide('peer', entry.peer));
    return `${entry.stable ? 'stable  ' : 'UNSTABLE'} ${entry.id}: ${sides.join('; ')}`;
  });
  const unstable = report.filter((entry) => !entry.stable).length;
  lines.push(
    unstable === 0
      ? `All ${report.length} case(s) agree within ${STABILITY_TOLERANCE * 100}% across repeats.`
      : `${unstable} of ${report.length} case(s) drift more than ${STABILITY_TOLERANCE * 100}% across repeats.`,
  );
  return lines;
}
