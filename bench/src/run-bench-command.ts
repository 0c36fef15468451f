import type { BenchCase, ServiceUrls } from './case-definition.js';
import { parseBenchOptions, USAGE, type BenchOptions } from './cli-options.js';
import { discoverCases } from './discover-cases.js';
import { renderMarkdown } from './markdown-table.js';
import { checkStability, formatStability } from './repeat-stability.js';
import { mergeResults, type CaseResult, type MachineInfo } from './results-file.js';
import { readResults, writeResults } from './results-store.js';
import { runCase, type CaseSamples } from './run-case.js';
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
  /** The time stamped on the results. @default () => new Date() */
  readonly now?: () => Date;
}

interface CaseFailure {
  readonly id: string;
  readonly error: unknown;
}

function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
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
  cases: readonly BenchCase[],
  options: BenchOptions,
  environment: BenchEnvironment,
  failures: CaseFailure[],
): Promise<CaseSamples[][]> {
  const repeats = options.smoke ? 1 : options.repeat;
  const runs: CaseSamples[][] = [];
  for (let repeat = 1; repeat <= repeats; repeat += 1) {
    const run: CaseSamples[] = [];
    for (const benchCase of cases) {
      if (failures.some((failure) => failure.id === benchCase.id)) continue;
      const pass = repeats > 1 ? ` (repeat ${repeat}/${repeats})` : '';
      environment.log(`running ${benchCase.id}${pass}`);
      try {
        run.push(
          await runCase(benchCase, { smoke: options.smoke, services: environment.services }),
        );
      } catch (error: unknown) {
        failures.push({ id: benchCase.id, error });
      }
    }
    runs.push(run);
  }
  return runs;
}

function summarizeAll(
  cases: readonly BenchCase[],
  runs: readonly CaseSamples[][],
  failures: CaseFailure[],
): CaseResult[] {
  const results: CaseResult[] = [];
  for (const benchCase of cases) {
    const samples = pooled(runs.flatMap((run) => run.filter((s) => s.id === benchCase.id)));
    if (samples === null) continue;
    try {
      results.push(summarizeCase(benchCase, samples));
    } catch (error: unknown) {
      failures.push({ id: benchCase.id, error });
    }
  }
  return results;
}

/**
 * Runs `pnpm bench` with its arguments and returns the process exit code: runs the selected
 * cases (interleaved A/B), then writes and prints the results, or in smoke mode only checks
 * that every case runs and produces numbers. Exits non-zero when a case throws.
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
  let cases: BenchCase[];
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
