import type {
  DeadLetter,
  DeadLetterAttemptOutcome,
  DeadLetterFailure,
  DeadLetterFilter,
  DeadLetterListQuery,
  DeadLetterPage,
  DeadLetterReplayReport,
} from './dead-letter.js';

/**
 * Options of {@link DeadLetterStore.replay}.
 *
 * @example
 * ```ts
 * const options: DeadLetterStoreReplayOptions = { filter: { kind: 'sms.reminder' }, maxLetters: 100 };
 * ```
 */
export interface DeadLetterStoreReplayOptions {
  readonly filter: DeadLetterFilter;
  /** Stop after this many letters were attempted. */
  readonly maxLetters: number;
}

/**
 * The storage port of a {@link DeadLetterQueue}. `replay` must be safe with several replayers
 * at once: a letter is claimed by one replayer while its attempt runs, and marked replayed
 * together with the claim's release, so each letter succeeds at most once.
 *
 * @example
 * ```ts
 * const store: DeadLetterStore = memoryDeadLetterStore();
 * const queue = createDeadLetterQueue({ store });
 * ```
 */
export interface DeadLetterStore {
  /** Records a failure: a new letter, or one more failure of the letter with the same tenant and id. */
  add(failure: DeadLetterFailure): Promise<void>;
  /** One page of letters matching the query, oldest first failure first. */
  list(query: DeadLetterListQuery): Promise<DeadLetterPage>;
  /**
   * Claims pending letters one at a time, oldest first, skipping letters other replayers hold
   * and letters this run already attempted, and records each `attempt` outcome before releasing
   * the claim.
   */
  replay(
    attempt: (letter: DeadLetter) => Promise<DeadLetterAttemptOutcome>,
    options: DeadLetterStoreReplayOptions,
  ): Promise<DeadLetterReplayReport>;
  /** Deletes every letter whose last failure is before `before` (clock time); returns how many. */
  purge(before: number): Promise<number>;
}
