import type { ClinicId, TenantId } from '@carequeue/core';

/**
 * The subset of vitest (or a compatible runner) a contract suite needs.
 *
 * @example
 * ```ts
 * import { describe, expect, it } from 'vitest';
 * const runner: ContractRunner = { describe, it, expect };
 * ```
 */
export interface ContractRunner {
  readonly describe: (name: string, fn: () => void) => void;
  readonly it: (name: string, fn: () => Promise<void>) => void;
  readonly expect: ContractExpect;
}

/**
 * The `expect` matchers the contract suites use.
 *
 * @example
 * ```ts
 * const check: ContractExpect = expect;
 * ```
 */
export type ContractExpect = (actual: unknown) => {
  toEqual(expected: unknown): void;
  toBe(expected: unknown): void;
  toBeUndefined(): void;
  toHaveLength(length: number): void;
  readonly rejects: { toThrow(expected?: unknown): Promise<void> };
};

/**
 * Creates the rows a repository's foreign keys need (a tenant, its clinics) in the store under test.
 *
 * @example
 * ```ts
 * const fixtures: ContractFixtures = { tenant: async () => newTenantId(), clinic: async () => newClinicId() };
 * ```
 */
export interface ContractFixtures {
  /** A fresh tenant that has no rows yet. */
  readonly tenant: () => Promise<TenantId>;
  /** A fresh clinic of the tenant. */
  readonly clinic: (tenantId: TenantId) => Promise<ClinicId>;
}
