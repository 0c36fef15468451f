/**
 * Status transitions as data: each aggregate publishes a {@link TransitionTable} that services
 * enforce and tests read, so the state machine is written down exactly once.
 *
 * @packageDocumentation
 */
import { ConflictError, type CarequeueErrorOptions } from '../errors.js';

/** The allowed moves between the statuses of one kind of record. */
export interface TransitionTable<S extends string> {
  /** What the record is, for error messages, such as `appointment`. */
  readonly entity: string;
  /** Statuses a new record may start in. */
  readonly initial: readonly S[];
  /** For each status, the statuses it may move to. Terminal statuses map to `[]`. */
  readonly transitions: Readonly<Record<S, readonly S[]>>;
}

/**
 * Whether `table` allows moving from `from` to `to`.
 *
 * @example
 * ```ts
 * canTransition(appointmentTransitions, 'booked', 'arrived'); // true
 * ```
 */
export function canTransition<S extends string>(
  table: TransitionTable<S>,
  from: S,
  to: S,
): boolean {
  return table.transitions[from]?.includes(to) ?? false;
}

/**
 * The statuses that allow no further move.
 *
 * @example
 * ```ts
 * terminalStatuses(queueEntryTransitions); // ['completed', 'no_show', ...]
 * ```
 */
export function terminalStatuses<S extends string>(table: TransitionTable<S>): S[] {
  return (Object.keys(table.transitions) as S[]).filter(
    (status) => table.transitions[status].length === 0,
  );
}

/**
 * A status change the state machine does not allow, such as completing a cancelled entry.
 *
 * @example
 * ```ts
 * throw new InvalidTransitionError('appointment', 'cancelled', 'booked');
 * ```
 */
export class InvalidTransitionError extends ConflictError {
  /** What the record is, such as `appointment`. */
  readonly entity: string;
  /** The current status. */
  readonly from: string;
  /** The status that was asked for. */
  readonly to: string;

  constructor(entity: string, from: string, to: string, options?: CarequeueErrorOptions) {
    super(
      `The ${entity} cannot move from ${from} to ${to}. Reload it and check its current status.`,
      { ...options, code: 'INVALID_TRANSITION' },
    );
    this.entity = entity;
    this.from = from;
    this.to = to;
  }
}

/**
 * Throws unless `table` allows moving from `from` to `to`.
 *
 * @throws {@link InvalidTransitionError} when the move is not allowed.
 * @example
 * ```ts
 * assertTransition(queueEntryTransitions, entry.status, 'called');
 * ```
 */
export function assertTransition<S extends string>(
  table: TransitionTable<S>,
  from: S,
  to: S,
): void {
  if (canTransition(table, from, to)) return;
  // A status that is not in the table came from unvalidated input: it is not repeated.
  const known = (status: string): string =>
    Object.hasOwn(table.transitions, status) ? status : 'an unknown status';
  throw new InvalidTransitionError(table.entity, known(from), known(to));
}
