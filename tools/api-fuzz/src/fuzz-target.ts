import type { SqlExecutor } from '@carequeue/core/sql';
import type { CapturingLogger } from './capture-logger.js';
import type { ValuePool } from './hostile-values.js';
import type { PortCallRecorder } from './port-spy.js';

/** Where a fixture builds its target: memory adapters, or the SQL adapters over PGlite. */
export type FuzzBackend = 'memory' | 'pglite';

/** A built service (or other object returned by a factory) ready to be fuzzed. */
export interface FuzzTarget {
  /** The object whose methods are called with hostile arguments. */
  readonly instance: object;
  /** Records every call made to the ports the instance was given. */
  readonly ports: PortCallRecorder;
  /** The logger the instance was given, when it takes one. */
  readonly logger?: CapturingLogger;
  /** Plausible and foreign values for the argument generator. */
  readonly pool: ValuePool;
  /** Valid argument lists per method name, mutated one value at a time. */
  readonly examples?: Readonly<Record<string, () => readonly unknown[]>>;
  /** The stored contents, compared before and after a refused call. */
  snapshot?(): Promise<string>;
  /** Releases what the fixture opened. */
  close?(): Promise<void>;
}

/** How the suite builds what one exported factory returns. */
export interface FactoryFixture {
  /** The backends the target is built on (SQL-backed services on both). */
  readonly backends: readonly FuzzBackend[];
  /**
   * Methods that end the target (`close`, `dispose`): fuzzed after every other method.
   */
  readonly lifecycle?: readonly string[];
  /** Builds a fresh target; `backend` says which adapters to use. */
  build(backend: FuzzBackend, context: FixtureContext): Promise<FuzzTarget>;
}

/** What the suite gives every fixture. */
export interface FixtureContext {
  /** A migrated PGlite executor, when the backend is `pglite`. */
  readonly pglite?: SqlExecutor;
}

/**
 * How the suite reaches one exported factory or class. Every role also has the factory itself
 * called with hostile options.
 *
 * - `service`: the fixture builds it, and every method of what it returns is fuzzed.
 * - `function`: it returns a value or a plain function, so it is called directly with hostile
 *   arguments (`examples` gives a valid argument list to mutate).
 * - `port`: an adapter (repository, store, executor, client wrapper). Services call its methods
 *   only after validating their own arguments, so it is fuzzed through the service fixtures named
 *   in `usedBy`; `reason` says why when none uses it.
 */
export type FactoryRole = (
  | { readonly kind: 'service'; readonly fixture: FactoryFixture }
  | {
      readonly kind: 'function';
      readonly pool?: ValuePool;
      readonly example?: () => readonly unknown[];
    }
  | { readonly kind: 'port'; readonly usedBy: readonly string[]; readonly reason?: string }
) & {
  /**
   * Fewer calls of the factory itself, for one whose every accepted call opens something costly
   * (a database), with the reason.
   */
  readonly factoryCalls?: { readonly runs: number; readonly reason: string };
};
