/**
 * A failed operation parked for inspection and replay. Times are clock milliseconds.
 *
 * @example
 * ```ts
 * const letter: DeadLetter = {
 *   id: 'sms-7f3a',
 *   tenantId: '0b9c2d3e-1f2a-4b5c-8d9e-0f1a2b3c4d5e',
 *   kind: 'sms.reminder',
 *   payload: '{"appointmentId":"a-1"}',
 *   errorCode: 'SMS_PROVIDER_UNAVAILABLE',
 *   errorMessage: 'The SMS provider did not answer.',
 *   attempts: 5,
 *   correlationId: 'req-42',
 *   firstFailedAt: 1_767_225_600_000,
 *   lastFailedAt: 1_767_225_660_000,
 *   replayedAt: undefined,
 * };
 * ```
 */
export interface DeadLetter {
  /** Unique within its tenant; capturing the same id again records another failure. */
  readonly id: string;
  readonly tenantId: string;
  /** What failed, such as `sms.reminder`; replay handlers dispatch on it. */
  readonly kind: string;
  /** The operation's input as JSON text. */
  readonly payload: string;
  /** The CareQueue error code of the last failure. */
  readonly errorCode: string;
  /** The CareQueue error message of the last failure (never input values). */
  readonly errorMessage: string;
  /** Failed attempts so far, replays included. */
  readonly attempts: number;
  readonly correlationId: string | undefined;
  readonly firstFailedAt: number;
  readonly lastFailedAt: number;
  /** When a replay succeeded; `undefined` while the letter is pending. */
  readonly replayedAt: number | undefined;
}

/**
 * A failure handed to {@link DeadLetterStore.add}: a new letter, or another failure of a letter
 * with the same tenant and id (attempts add up, the first failure time is kept, and a replayed
 * letter becomes pending again).
 *
 * @example
 * ```ts
 * const failure: DeadLetterFailure = { ...letterFields, failedAt: clock.now() };
 * ```
 */
export interface DeadLetterFailure {
  readonly id: string;
  readonly tenantId: string;
  readonly kind: string;
  readonly payload: string;
  readonly errorCode: string;
  readonly errorMessage: string;
  readonly attempts: number;
  readonly correlationId: string | undefined;
  readonly failedAt: number;
}

/**
 * Which letters to list or replay. Every field narrows the selection.
 *
 * @example
 * ```ts
 * const filter: DeadLetterFilter = { tenantId, kind: 'sms.reminder', failedBefore: clock.now() - 3_600_000 };
 * ```
 */
export interface DeadLetterFilter {
  readonly tenantId?: string;
  readonly kind?: string;
  /** Only letters whose first failure is at or after this clock time. */
  readonly failedSince?: number;
  /** Only letters whose first failure is before this clock time. */
  readonly failedBefore?: number;
}

/**
 * A page request of {@link DeadLetterStore.list}, oldest first failure first.
 *
 * @example
 * ```ts
 * const query: DeadLetterListQuery = { kind: 'sms.reminder', status: 'pending', limit: 50 };
 * ```
 */
export interface DeadLetterListQuery extends DeadLetterFilter {
  /** `pending` (not replayed yet), `replayed` or `all`. @default 'pending' */
  readonly status?: DeadLetterStatus;
  /** Page size, 1 to 500. @default 50 */
  readonly limit?: number;
  /** The `nextCursor` of the previous page. */
  readonly cursor?: string;
}

/**
 * Whether a letter still waits for a replay.
 *
 * @example
 * ```ts
 * const status: DeadLetterStatus = 'pending';
 * ```
 */
export type DeadLetterStatus = 'pending' | 'replayed' | 'all';

/**
 * One page of letters; `nextCursor` is `undefined` on the last page.
 *
 * @example
 * ```ts
 * const page: DeadLetterPage = await queue.list({ tenantId });
 * if (page.nextCursor) await queue.list({ tenantId, cursor: page.nextCursor });
 * ```
 */
export interface DeadLetterPage {
  readonly letters: readonly DeadLetter[];
  readonly nextCursor: string | undefined;
}

/**
 * How a replay attempt of one letter ended, as reported to the store.
 *
 * @example
 * ```ts
 * const outcome: DeadLetterAttemptOutcome = { replayed: true, at: clock.now() };
 * ```
 */
export type DeadLetterAttemptOutcome =
  | { readonly replayed: true; readonly at: number }
  | {
      readonly replayed: false;
      readonly at: number;
      readonly errorCode: string;
      readonly errorMessage: string;
    };

/**
 * What a replay run did.
 *
 * @example
 * ```ts
 * const { replayed, failed } = await queue.replay(handler);
 * ```
 */
export interface DeadLetterReplayReport {
  /** Letters whose handler succeeded; they are marked replayed. */
  readonly replayed: number;
  /** Letters whose handler failed; they stay pending with one more attempt recorded. */
  readonly failed: number;
}
