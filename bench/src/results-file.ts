import type { Better } from './case-definition.js';
import { belongsToSuite } from './select-cases.js';

/** The machine a run happened on; service versions are null when the service was unreachable. */
export interface MachineInfo {
  readonly cpus: number;
  /** `process.version` of the Node binary that ran the cases, such as `v24.22.3`. */
  readonly node: string;
  /** The V8 version inside that Node (`process.versions.v8`): the JIT that produced the figures. */
  readonly v8: string;
  readonly postgres: string | null;
  readonly redis: string | null;
}

/** One case's figures, in the shape BENCHMARKS.md defines. */
export interface CaseResult {
  readonly id: string;
  readonly unit: string;
  readonly better: Better;
  readonly ours: number;
  readonly ourP99: number;
  readonly peer: number | null;
  readonly peerP99: number | null;
  readonly peerName: string | null;
  /** ours / peer medians; null for an absolute case. */
  readonly ratio: number | null;
  readonly target: number | null;
  readonly notes: string;
}

/** The content of `bench/results/latest.json`. */
export interface ResultsFile {
  /** ISO 8601 time of the run. */
  readonly when: string;
  readonly machine: MachineInfo;
  /** Installed versions of the packages the cases compare (peers and CareQueue packages). */
  readonly versions: Readonly<Record<string, string>>;
  /** Sorted by id. */
  readonly cases: readonly CaseResult[];
}

/**
 * Merges a run into the previous results: a suite run replaces that suite's cases and keeps the
 * others; a full run (suite null) replaces everything. Run-level fields come from the new run.
 *
 * @example
 * ```ts
 * const merged = mergeResults(previous, resilienceRun, 'resilience');
 * // core.* cases of `previous` are kept, resilience.* cases are those of `resilienceRun`
 * ```
 */
export function mergeResults(
  previous: ResultsFile | null,
  run: ResultsFile,
  suite: string | null,
): ResultsFile {
  const kept =
    previous === null || suite === null
      ? []
      : previous.cases.filter((result) => !belongsToSuite(result.id, suite));
  const cases = [...kept, ...run.cases].sort((a, b) => a.id.localeCompare(b.id));
  return { ...run, versions: { ...previous?.versions, ...run.versions }, cases };
}
