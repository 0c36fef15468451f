import { inject } from 'vitest';

/** What the harness's global setup prepared once for the whole test run. */
export interface HarnessRunContext {
  /** Identifies the run; the same in every test file of one `vitest run`. */
  readonly runId: string;
  /** The Postgres template built for this run, when Postgres was reachable. */
  readonly postgresTemplate?: { readonly adminUrl: string; readonly name: string };
  /** Path of the PGlite data-directory snapshot built for this run. */
  readonly pgliteSnapshot?: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    carequeueHarness: HarnessRunContext | undefined;
  }
}

/**
 * What `@carequeue/test-harness/global-setup` prepared for this run, or undefined when the
 * vitest config does not list it (the fixtures then prepare what they need themselves).
 *
 * @example
 * ```ts
 * const runId = harnessRunContext()?.runId;
 * ```
 */
export function harnessRunContext(): HarnessRunContext | undefined {
  return inject('carequeueHarness');
}
