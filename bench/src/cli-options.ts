import { parseArgs } from 'node:util';

/** What a `pnpm bench` invocation asks for. */
export interface BenchOptions {
  /** Only cases whose id starts with `<suite>.`, merged into the previous results; null for all. */
  readonly suite: string | null;
  /** How many times to run the whole selection, to check that medians are stable. */
  readonly repeat: number;
  /** Run each case once with tiny iteration counts and write nothing. */
  readonly smoke: boolean;
}

/**
 * The usage line printed on a malformed invocation.
 *
 * @example
 * ```ts
 * console.error(USAGE);
 * ```
 */
export const USAGE = 'usage: pnpm bench [<suite>] [--repeat <n>] [--smoke]';

/**
 * Parses the arguments of `pnpm bench`.
 *
 * @throws Error (with the usage line) on unknown flags, more than one suite or a bad repeat count.
 * @example
 * ```ts
 * parseBenchOptions(['resilience', '--repeat', '3']);
 * // { suite: 'resilience', repeat: 3, smoke: false }
 * ```
 */
export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      repeat: { type: 'string', default: '1' },
      smoke: { type: 'boolean', default: false },
    },
  });
  if (positionals.length > 1) {
    throw new Error(`Give at most one suite (got ${positionals.join(', ')}). ${USAGE}`);
  }
  const repeat = Number(values.repeat);
  if (!Number.isInteger(repeat) || repeat < 1) {
    throw new Error(
      `--repeat must be a whole number of at least 1 (got ${values.repeat}). ${USAGE}`,
    );
  }
  return { suite: positionals[0] ?? null, repeat, smoke: values.smoke };
}
