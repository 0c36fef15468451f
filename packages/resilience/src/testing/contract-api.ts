/**
 * The assertions the contract suites use; vitest's and jest's `expect` fit.
 *
 * @example
 * ```ts
 * import { expect } from 'vitest';
 * const assertions: ContractExpect = expect;
 * ```
 */
export interface ContractExpect {
  (actual: unknown): {
    toBe(expected: unknown): void;
    toEqual(expected: unknown): void;
  };
}

/**
 * The test runner functions a contract suite registers its tests with, so the suites need no
 * test framework as a dependency.
 *
 * @example
 * ```ts
 * import { describe, expect, it } from 'vitest';
 * const api: ContractTestApi = { describe, it, expect };
 * ```
 */
export interface ContractTestApi {
  readonly describe: (name: string, body: () => void) => void;
  readonly it: (name: string, body: () => Promise<void>) => void;
  readonly expect: ContractExpect;
}
