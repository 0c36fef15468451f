import type { FuzzSettings } from './fuzz-method.js';

/** Calls per method when `CAREQUEUE_FUZZ_RUNS` is not set: the count `pnpm test` runs. */
export const DEFAULT_RUNS_PER_METHOD = 200;

/**
 * The seed `pnpm test` uses: CI replays the same calls on every run, so a red run is never a roll
 * of the dice. `CAREQUEUE_FUZZ_SEED=random` explores new ones.
 */
export const DEFAULT_SEED = 20_261_207;

/**
 * The run's settings from the environment: `CAREQUEUE_FUZZ_RUNS` (calls per method, for a deeper
 * run) and `CAREQUEUE_FUZZ_SEED` (an integer to replay a run, `random` for a fresh seed,
 * {@link DEFAULT_SEED} when unset).
 *
 * @example
 * ```ts
 * const settings = fuzzSettingsFromEnv(process.env);
 * ```
 */
export function fuzzSettingsFromEnv(env: NodeJS.ProcessEnv): FuzzSettings {
  const runs =
    env['CAREQUEUE_FUZZ_RUNS'] === undefined
      ? DEFAULT_RUNS_PER_METHOD
      : Number(env['CAREQUEUE_FUZZ_RUNS']);
  if (!Number.isInteger(runs) || runs < 1) {
    throw new Error('CAREQUEUE_FUZZ_RUNS must be a positive integer (calls per method).');
  }
  const seedText = env['CAREQUEUE_FUZZ_SEED'];
  const seed =
    seedText === undefined
      ? DEFAULT_SEED
      : seedText === 'random'
        ? Math.floor(Math.random() * 2 ** 31)
        : Number(seedText);
  if (!Number.isInteger(seed)) {
    throw new Error('CAREQUEUE_FUZZ_SEED must be an integer (the seed a run printed) or "random".');
  }
  return { runs, seed, callBoundMs: 15_000 };
}
