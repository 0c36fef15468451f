import { measureLatencyRound, type Operation } from './measure-latency.js';
import { measureThroughputRound, type AsyncOperation } from './measure-throughput.js';

/** Which direction of a figure is an improvement: `lower` for times, `higher` for rates. */
export type Better = 'lower' | 'higher';

/** The two sides of an A/B comparison. */
export type Side = 'ours' | 'peer';

/** Units a latency case can report: per-operation time in ns, µs or ms. */
export type LatencyUnit = 'ns/op' | 'us/op' | 'ms';

/** Where the shared services of the benchmark machine listen. */
export interface ServiceUrls {
  /** A Postgres URL the case may connect to (for example `postgres://postgres@127.0.0.1:5432/postgres`). */
  readonly postgres: string;
  /** A Redis URL the case may connect to (for example `redis://127.0.0.1:6379`). */
  readonly redis: string;
}

/** What a case's `setup` is given. */
export interface CaseContext {
  /** True in smoke mode: set up as little data as still exercises the code. */
  readonly smoke: boolean;
  /** The services the case may use. */
  readonly services: ServiceUrls;
}

/** What a `samples` case's collector is given on each round. */
export interface RoundContext {
  /** True in smoke mode: collect only a handful of samples. */
  readonly smoke: boolean;
  /** True for warm-up rounds, whose samples are discarded. */
  readonly warmup: boolean;
}

interface CaseCommon<State> {
  /** Stable id `<suite>.<area>.<name>`, named in the issues, so that runs compare over time. */
  readonly id: string;
  readonly better: Better;
  /** The ratio (or, with no peer, the absolute figure) the case should reach, or null. */
  readonly target: number | null;
  /** The peer and its version, such as `uuid 14.0.3`; null for an absolute case. */
  readonly peerName: string | null;
  /** Every setting that matters for fairness. */
  readonly notes: string;
  /** Measured rounds per side. @default 6 */
  readonly rounds?: number;
  /** Warm-up rounds per side, run first and discarded. @default 1 */
  readonly warmupRounds?: number;
  /** Builds the state both sides use; runs once per case run. */
  readonly setup?: (context: CaseContext) => State | Promise<State>;
  /** Releases what `setup` built; runs even when a round throws. */
  readonly teardown?: (state: State) => void | Promise<void>;
}

/** A case timing single operations, in batches so that timer resolution does not dominate. */
export interface LatencyCaseDefinition<State> extends CaseCommon<State> {
  readonly kind: 'latency';
  readonly unit: LatencyUnit;
  /** Operations per timed batch. @default 10000 for ns/op, 1000 for us/op, 1 for ms */
  readonly opsPerBatch?: number;
  /** Timed batches per round, each giving one sample. @default 10 for ns/op and us/op, 100 for ms */
  readonly batchesPerRound?: number;
  /** Returns our operation (sync or async) bound to the state. */
  readonly ours: (state: State) => Operation;
  /** Returns the peer's operation bound to the state; absent for an absolute case. */
  readonly peer?: (state: State) => Operation;
}

/** A case counting operations per second with concurrent async callers. */
export interface ThroughputCaseDefinition<State> extends CaseCommon<State> {
  readonly kind: 'throughput';
  readonly unit: 'ops/s';
  /** Callers running at once. */
  readonly concurrency: number;
  /** Length of one round. @default 2000 when `operations` is absent */
  readonly durationMs?: number;
  /** Operations in one round. */
  readonly operations?: number;
  readonly ours: (state: State) => AsyncOperation;
  readonly peer?: (state: State) => AsyncOperation;
}

/** A case that measures something itself (a propagation delay, a completion time) per round. */
export interface SamplesCaseDefinition<State> extends CaseCommon<State> {
  readonly kind: 'samples';
  /** The unit of the collected samples, such as `ms`. */
  readonly unit: string;
  /** Runs one round of our side and returns its samples. */
  readonly ours: (state: State, round: RoundContext) => Promise<readonly number[]>;
  /** Runs one round of the peer's side and returns its samples. */
  readonly peer?: (state: State, round: RoundContext) => Promise<readonly number[]>;
}

/** Any case definition accepted by {@link defineCase}. */
export type CaseDefinition<State> =
  LatencyCaseDefinition<State> | ThroughputCaseDefinition<State> | SamplesCaseDefinition<State>;

/** A case whose state is set up and ready to measure rounds. */
export interface PreparedCase {
  /** True when the case has a peer side. */
  readonly hasPeer: boolean;
  /** Runs one round of one side and returns its samples in the case's unit. */
  measureRound(side: Side, round: RoundContext): Promise<number[]>;
  /** Releases the state. */
  teardown(): Promise<void>;
}

/** A case as the runner sees it: its identity plus a way to prepare it. */
export interface BenchCase {
  readonly id: string;
  readonly unit: string;
  readonly better: Better;
  readonly target: number | null;
  readonly peerName: string | null;
  readonly notes: string;
  readonly rounds: number;
  readonly warmupRounds: number;
  /** Runs `setup` and returns the case ready to measure. */
  prepare(context: CaseContext): Promise<PreparedCase>;
}

const benchCaseBrand = Symbol.for('@carequeue/bench.case');
const SMOKE_OPS_PER_BATCH = 10;
const SMOKE_BATCHES_PER_ROUND = 2;
const SMOKE_OPERATIONS_PER_CALLER = 2;
const NANOSECONDS_PER_UNIT: Record<LatencyUnit, number> = { 'ns/op': 1, 'us/op': 1e3, ms: 1e6 };
const DEFAULT_OPS_PER_BATCH: Record<LatencyUnit, number> = {
  'ns/op': 10_000,
  'us/op': 1_000,
  ms: 1,
};
const DEFAULT_BATCHES_PER_ROUND: Record<LatencyUnit, number> = {
  'ns/op': 10,
  'us/op': 10,
  ms: 100,
};

type RoundMeasurer<State> = (state: State, side: Side, round: RoundContext) => Promise<number[]>;

function latencyMeasurer<State>(definition: LatencyCaseDefinition<State>): RoundMeasurer<State> {
  const unit = definition.unit;
  return async (state, side, round) => {
    const build = side === 'ours' ? definition.ours : definition.peer;
    if (!build) throw new Error(`${definition.id} has no ${side} side.`);
    const opsPerBatch = definition.opsPerBatch ?? DEFAULT_OPS_PER_BATCH[unit];
    const batchesPerRound = definition.batchesPerRound ?? DEFAULT_BATCHES_PER_ROUND[unit];
    return await measureLatencyRound(build(state), {
      opsPerBatch: round.smoke ? Math.min(opsPerBatch, SMOKE_OPS_PER_BATCH) : opsPerBatch,
      batchesPerRound: round.smoke
        ? Math.min(batchesPerRound, SMOKE_BATCHES_PER_ROUND)
        : batchesPerRound,
      nanosecondsPerUnit: NANOSECONDS_PER_UNIT[unit],
    });
  };
}

function throughputMeasurer<State>(
  definition: ThroughputCaseDefinition<State>,
): RoundMeasurer<State> {
  return async (state, side, round) => {
    const build = side === 'ours' ? definition.ours : definition.peer;
    if (!build) throw new Error(`${definition.id} has no ${side} side.`);
    const { concurrency } = definition;
    const limits = round.smoke
      ? { operations: concurrency * SMOKE_OPERATIONS_PER_CALLER }
      : {
          operations: definition.operations,
          durationMs:
            definition.durationMs ?? (definition.operations === undefined ? 2_000 : undefined),
        };
    return [await measureThroughputRound(build(state), { concurrency, ...limits })];
  };
}

function samplesMeasurer<State>(definition: SamplesCaseDefinition<State>): RoundMeasurer<State> {
  return async (state, side, round) => {
    const collect = side === 'ours' ? definition.ours : definition.peer;
    if (!collect) throw new Error(`${definition.id} has no ${side} side.`);
    return [...(await collect(state, round))];
  };
}

function measurerFor<State>(definition: CaseDefinition<State>): RoundMeasurer<State> {
  switch (definition.kind) {
    case 'latency':
      return latencyMeasurer(definition);
    case 'throughput':
      return throughputMeasurer(definition);
    case 'samples':
      return samplesMeasurer(definition);
  }
}

function assertConsistent<State>(definition: CaseDefinition<State>): void {
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(definition.id)) {
    throw new Error(
      `Case id "${definition.id}" must be dot-separated lowercase words, starting with its suite.`,
    );
  }
  if ((definition.peer === undefined) !== (definition.peerName === null)) {
    throw new Error(
      `${definition.id}: give both peer and peerName, or neither (peerName null) for an absolute case.`,
    );
  }
}

/**
 * Declares a benchmark case: the default export of each file under `src/cases/<suite>/`.
 *
 * @throws Error when the id is malformed or `peer` and `peerName` disagree.
 * @example
 * ```ts
 * import { uuidv7 } from '@carequeue/core';
 * import { v7 } from 'uuid';
 * import { defineCase } from '../../case-definition.js';
 *
 * export default defineCase({
 *   id: 'core.id.uuidv7',
 *   kind: 'latency',
 *   unit: 'ns/op',
 *   better: 'lower',
 *   target: 1.0,
 *   peerName: 'uuid 14.0.3',
 *   notes: 'string ids, default options on both',
 *   ours: () => uuidv7,
 *   peer: () => v7,
 * });
 * ```
 */
export function defineCase<State>(definition: CaseDefinition<State>): BenchCase {
  assertConsistent(definition);
  const measure = measurerFor(definition);
  const benchCase: BenchCase = {
    id: definition.id,
    unit: definition.unit,
    better: definition.better,
    target: definition.target,
    peerName: definition.peerName,
    notes: definition.notes,
    rounds: definition.rounds ?? 6,
    warmupRounds: definition.warmupRounds ?? 1,
    async prepare(context) {
      const state = definition.setup ? await definition.setup(context) : (undefined as State);
      return {
        hasPeer: definition.peer !== undefined,
        measureRound: (side, round) => measure(state, side, round),
        teardown: async () => {
          await definition.teardown?.(state);
        },
      };
    },
  };
  return Object.assign(benchCase, { [benchCaseBrand]: true });
}

/**
 * Whether a value is a case made by {@link defineCase} (what a case module must default-export).
 *
 * @example
 * ```ts
 * const module: { default?: unknown } = await import(fileUrl);
 * if (!isBenchCase(module.default)) throw new Error(`${fileUrl} exports no case`);
 * ```
 */
export function isBenchCase(value: unknown): value is BenchCase {
  return typeof value === 'object' && value !== null && benchCaseBrand in value;
}
