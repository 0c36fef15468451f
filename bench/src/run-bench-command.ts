import type { CaseContext, ServiceUrls } from './case-definition.js';
import { parseBenchOptions, USAGE, type BenchOptions } from './cli-options.js';
import { describeError } from './describe-error.js';
import { discoverCases, type DiscoveredCase } from './discover-cases.js';
import { renderMarkdown } from './markdown-table.js';
import { checkStability, formatStability } from './repeat-stability.js';
import { mergeResults, type CaseResult, type MachineInfo } from './results-file.js';
import { readResults, writeResults } from './results-store.js';
import type { CaseSamples } from './run-case.js';
import { selectCases } from './select-cases.js';
import { summarizeCase } from './summarize-case.js';

/** Where `pnpm bench` finds its cases and services, and where it reports. */
export interface BenchEnvironment {
  /** Folder holding the case modules (`src/cases` or the built `dist/cases`). */
  readonly casesDir: string;
  /** Folder receiving `latest.json` and `latest.md`. */
  readonly resultsDir: string;
  readonly services: ServiceUrls;
  /** Describes the machine, including service versions. */
  readonly probeMachine: (services: ServiceUrls) => Promise<MachineInfo>;
  /** Installed versions of the compared packages. */
  readonly readVersions: () => Promise<Record<string, string>>;
  /** Prints one line of progress or report. */
  readonly log: (line: string) => void;
  /**
   * Runs one repeat of one case and returns its samples, or rejects with the case's failure. The
   * CLI runs each in a fresh Node process (`runCaseInWorker`), so that no case inherits the JIT
   * state, heap or open handles of the cases run before it.
   */
  readonly runCase: (found: DiscoveredCase, context: CaseContext) => Promise<CaseSamples>;
  /** The time stamped on the results. @default () => new Date() */
  readonly now?: () => Date;
}

interface CaseFailure {
  readonly id: string;
  readonly error: unknown;
}

function pooled(runs: readonly CaseSamples[]): CaseSamples | null {
  const [first] = runs;
  if (first === undefined) return null;
  return {
    id: first.id,
    ours: runs.flatMap((run) => run.ours),
    peer: first.peer === null ? null : runs.flatMap((run) => run.peer ?? []),
  };
}

function formatSmokeLine(result: CaseResult): string {
  const peer = result.peer === null ? '' : `, peer ${result.peer} (ratio ${result.ratio})`;
  return `ok ${result.id}: ours ${result.ours} ${result.unit}${peer}`;
}

async function runSelection(
  cases: readonly DiscoveredCase[],
  options: BenchOptions,
  environment: BenchEnvironment,
  failures: CaseFailure[],
): Promise<CaseSamples[][]> {
  const repeats = options.smoke ? 1 : options.repeat;
  const runs: CaseSamples[][] = [];
  for (let repeat = 1; repeat <= repeats; repeat += 1) {
    const run: CaseSamples[] = [];
    for (const found of cases) {
      if (failures.some((failure) => failure.id === found.id)) continue;
      const pass = repeats > 1 ? ` (repeat ${repeat}/${repeats})` : '';
      environment.log(`running ${found.id}${pass}`);
      try {
        run.push(
          await environment.runCase(found, {
            smoke: options.smoke,
            services: environment.services,
          }),
        );
      } catch (error: unknown) {
        failures.push({ id: found.id, error });
      }
    }
    runs.push(run);
  }
  return runs;
}

function summarizeAll(
  cases: readonly DiscoveredCase[],
  runs: readonly CaseSamples[][],
  failures: CaseFailure[],
): CaseResult[] {
  const results: CaseResult[] = [];
  for (const { id, benchCase } of cases) {
    const samples = pooled(runs.flatMap((run) => run.filter((s) => s.id === id)));
    if (samples === null) continue;
    try {
      results.push(summarizeCase(benchCase, samples));
    } catch (error: unknown) {
      failures.push({ id, error });
    }
  }
  return results;
}

/**
 * Runs `pnpm bench` with its arguments and returns the process exit code: runs each repeat of
 * each selected case (interleaved A/B) through `environment.runCase`, then writes and prints the
 * results, or in smoke mode only checks that every case runs and produces numbers. Exits non-zero
 * when a case fails.
 *
 * @example
 * ```ts
 * process.exitCode = await runBenchCommand(process.argv.slice(2), environment);
 * ```
 */
export async function runBenchCommand(
  argv: readonly string[],
  environment: BenchEnvironment,
): Promise<number> {
  const { log } = environment;
  let options: BenchOptions;
  try {
    options = parseBenchOptions(argv);
  } catch (error: unknown) {
    const message = error instanceof Error ? error.message : String(error);
    log(error instanceof TypeError ? `${message} ${USAGE}` : message);
    return 2;
  }
  let cases: DiscoveredCase[];
  try {
    cases = selectCases(await discoverCases(environment.casesDir), options.suite);
  } catch (error: unknown) {
    log(describeError(error));
    return 2;
  }

  const failures: CaseFailure[] = [];
  const runs = await runSelection(cases, options, environment, failures);
  const results = summarizeAll(cases, runs, failures);

  if (options.smoke) {
    for (const result of results) log(formatSmokeLine(result));
  } else if (results.length > 0) {
    const previous = await readResults(environment.resultsDir);
    const merged = mergeResults(
      previous,
      {
        when: (environment.now?.() ?? new Date()).toISOString(),
        machine: await environment.probeMachine(environment.services),
        versions: await environment.readVersions(),
        cases: results,
      },
      options.suite,
    );
    await writeResults(environment.resultsDir, merged);
    log(renderMarkdown(merged));
    if (options.repeat > 1) for (const line of formatStability(checkStability(runs))) log(line);
  }

  for (const failure of failures) log(`FAILED ${failure.id}: ${describeError(failure.error)}`);
  return failures.length === 0 ? 0 : 1;
}
