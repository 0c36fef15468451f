import { randomUUID } from 'node:crypto';
import { isCarequeueError, systemClock, type Clock, type ErrorIssue } from '@carequeue/core';
import { getContext } from '@carequeue/core/context';
import { type Counter, type Meter, metrics } from '@opentelemetry/api';
import {
  functionIssues,
  integerIssues,
  isRecord,
  numberIssues,
  recordIssues,
  throwIfInvalid,
} from '../call-arguments.js';
import { optionsObject } from '../config/options-object.js';
import {
  captureIssues,
  filterIssues,
  listQueryIssues,
  MAX_PURGE_AGE_MS,
} from './dead-letter-arguments.js';
import { deadLetterPageSize, decodeDeadLetterCursor } from './dead-letter-page.js';
import type {
  DeadLetter,
  DeadLetterFilter,
  DeadLetterListQuery,
  DeadLetterPage,
  DeadLetterReplayReport,
} from './dead-letter.js';
import type { DeadLetterStore } from './dead-letter-store.js';

/**
 * Options of a {@link DeadLetterQueue}.
 *
 * @example
 * ```ts
 * const options: DeadLetterQueueOptions = { store: memoryDeadLetterStore(), clock: createFakeClock() };
 * ```
 */
export interface DeadLetterQueueOptions {
  readonly store: DeadLetterStore;
  /** Time source of failure, replay and purge times. @default systemClock */
  readonly clock?: Clock;
  /** Where the counters go. @default metrics.getMeter('@carequeue/resilience') (a no-op unless the host installs an SDK) */
  readonly meter?: Meter;
}

/**
 * A failed operation to park with {@link DeadLetterQueue.capture}.
 *
 * @example
 * ```ts
 * const capture: DeadLetterCapture = { kind: 'sms.reminder', tenantId, payload: { appointmentId }, error, attempts: 5 };
 * ```
 */
export interface DeadLetterCapture {
  /** What failed, such as `sms.reminder`. */
  readonly kind: string;
  readonly tenantId: string;
  /** The operation's input; must be JSON-serializable. Encrypted at rest by the Postgres store. */
  readonly payload: unknown;
  /** What the last attempt threw. Only a CareQueue error's code and message are kept. */
  readonly error: unknown;
  /** Attempts made before giving up. @default 1 */
  readonly attempts?: number;
  /** @default the correlation id of the current request context, if any */
  readonly correlationId?: string;
  /** A stable id (such as the message id), so that capturing it again adds to the same letter. @default a random UUID */
  readonly id?: string;
}

/**
 * Options of {@link DeadLetterQueue.replay}.
 *
 * @example
 * ```ts
 * const options: DeadLetterReplayOptions = { kind: 'sms.reminder', maxLetters: 100 };
 * ```
 */
export interface DeadLetterReplayOptions extends DeadLetterFilter {
  /** Stop after this many letters were attempted. @default Infinity */
  readonly maxLetters?: number;
}

/**
 * Options of {@link DeadLetterQueue.purge}.
 *
 * @example
 * ```ts
 * const options: DeadLetterPurgeOptions = { olderThanMs: 30 * 86_400_000 };
 * ```
 */
export interface DeadLetterPurgeOptions {
  /** Letters whose last failure is older than this are deleted, replayed or not. */
  readonly olderThanMs: number;
}

/**
 * Replays one dead letter: gets its parsed payload and the letter; resolves when the operation
 * succeeded and rejects when it failed again.
 *
 * @example
 * ```ts
 * const handler: DeadLetterHandler = async (payload, letter) => sms.send(payload as Reminder, { key: letter.id });
 * ```
 */
export type DeadLetterHandler = (payload: unknown, letter: DeadLetter) => Promise<void>;

const UNEXPECTED_ERROR_CODE = 'UNEXPECTED_ERROR';
const UNEXPECTED_ERROR_MESSAGE =
  'A non-CareQueue error was thrown; its text is not kept because it may hold patient data.';

/** The JSON text of a payload, or `undefined` when it has none (undefined, a function). */
function serializedPayload(payload: unknown): string | undefined {
  try {
    const text: string | undefined = JSON.stringify(payload);
    return text;
  } catch {
    // A circular payload, a BigInt or a throwing toJSON: refused like an unserializable one.
    return undefined;
  }
}

function describeFailure(error: unknown): { errorCode: string; errorMessage: string } {
  return isCarequeueError(error)
    ? { errorCode: error.code, errorMessage: error.message }
    : { errorCode: UNEXPECTED_ERROR_CODE, errorMessage: UNEXPECTED_ERROR_MESSAGE };
}

/**
 * Parks operations that failed for good (an SMS that could not be sent, an ML call that kept
 * failing) so that none is silently lost: capture them, list and filter them, replay them once
 * the dependency is back, and purge old ones. Errors are reduced to a CareQueue code and message
 * so no input values (PHI) leak into them; payloads are encrypted by the Postgres store.
 *
 * Counters: `carequeue.dead_letters.captured`, `.replayed`, `.replay_failed` (by `kind`) and
 * `.purged`.
 *
 * Created by {@link createDeadLetterQueue}.
 */
class DeadLetterQueue {
  readonly #store: DeadLetterStore;
  readonly #clock: Clock;
  readonly #captured: Counter;
  readonly #replayed: Counter;
  readonly #replayFailed: Counter;
  readonly #purged: Counter;

  constructor(options: DeadLetterQueueOptions) {
    optionsObject('DeadLetterQueue options', options);
    this.#store = optionsObject('DeadLetterQueue options.store', options.store);
    this.#clock = options.clock ?? systemClock;
    const meter = options.meter ?? metrics.getMeter('@carequeue/resilience');
    this.#captured = meter.createCounter('carequeue.dead_letters.captured', {
      description: 'Failures parked as dead letters, by kind.',
    });
    this.#replayed = meter.createCounter('carequeue.dead_letters.replayed', {
      description: 'Dead letters replayed successfully, by kind.',
    });
    this.#replayFailed = meter.createCounter('carequeue.dead_letters.replay_failed', {
      description: 'Dead-letter replays that failed again, by kind.',
    });
    this.#purged = meter.createCounter('carequeue.dead_letters.purged', {
      description: 'Dead letters deleted by age.',
    });
  }

  /**
   * Parks a failed operation and returns the letter id.
   *
   * @throws `ValidationError` naming the field, before the store is called, when `capture` is not
   * an object, `kind` (or `id`) is not a string of 1 to 200 characters without NUL characters,
   * `tenantId` is not a UUID, `attempts` is not an integer from 1 to 2147483647,
   * `correlationId` is not a correlation id, or the payload is not JSON-serializable (circular,
   * a BigInt, nothing).
   * @example
   * ```ts
   * const id = await deadLetters.capture({ kind: 'ml.wait-estimate', tenantId, payload: { queueId }, error });
   * ```
   */
  async capture(capture: DeadLetterCapture): Promise<string> {
    throwIfInvalid('DeadLetterQueue.capture', captureIssues(capture));
    const attempts = capture.attempts ?? 1;
    const payload = serializedPayload(capture.payload);
    throwIfInvalid(
      'DeadLetterQueue.capture',
      payload === undefined
        ? [{ path: 'capture.payload', message: 'must be JSON-serializable (no cycles, no BigInt)' }]
        : [],
    );
    const id = capture.id ?? randomUUID();
    await this.#store.add({
      id,
      tenantId: capture.tenantId,
      kind: capture.kind,
      payload: payload as string,
      ...describeFailure(capture.error),
      attempts,
      correlationId: capture.correlationId ?? getContext()?.correlationId,
      failedAt: this.#clock.now(),
    });
    this.#captured.add(1, { kind: capture.kind });
    return id;
  }

  /**
   * One page of letters, oldest first failure first; pending letters unless `status` says otherwise.
   *
   * @throws {@link InvalidDeadLetterCursorError} when the cursor was not issued by this package.
   * @throws `ValidationError` naming the field, before the store is called, when `query` is not
   * an object, `tenantId` is not a UUID, `kind` not a kind, a time not a number from 0 to 8.64e15,
   * `status` not pending, replayed or all, or `limit` not an integer from 1 to 500.
   * @example
   * ```ts
   * const { letters, nextCursor } = await deadLetters.list({ tenantId, kind: 'sms.reminder', limit: 20 });
   * ```
   */
  async list(query: DeadLetterListQuery = {}): Promise<DeadLetterPage> {
    throwIfInvalid(
      'DeadLetterQueue.list',
      isRecord(query) ? listQueryIssues(query) : recordIssues(query, 'query'),
    );
    deadLetterPageSize(query);
    if (query.cursor !== undefined) decodeDeadLetterCursor(query.cursor);
    return this.#store.list(query);
  }

  /**
   * Replays pending letters, oldest first, through `handler`. Safe to run on several instances
   * at once: each letter is claimed by one replayer and marked replayed when its handler
   * succeeds, so it succeeds at most once. A handler failure records one more attempt with the
   * new error, keeps the letter pending, and the run goes on with the next letter.
   *
   * @throws `ValidationError` naming the argument, before the store is called, when `handler` is
   * not a function, `options` not an object, a filter field is invalid (see
   * {@link DeadLetterQueue.list}) or `maxLetters` is neither a positive integer nor `Infinity`.
   * @example
   * ```ts
   * const { replayed, failed } = await deadLetters.replay(async (payload, letter) => {
   *   await sms.send(payload as Reminder, { idempotencyKey: letter.id });
   * }, { kind: 'sms.reminder' });
   * ```
   */
  async replay(
    handler: DeadLetterHandler,
    options: DeadLetterReplayOptions = {},
  ): Promise<DeadLetterReplayReport> {
    throwIfInvalid('DeadLetterQueue.replay', [
      ...functionIssues(handler, 'handler'),
      ...(isRecord(options) ? replayOptionsIssues(options) : recordIssues(options, 'options')),
    ]);
    const {
      maxLetters = Number.POSITIVE_INFINITY,
      tenantId,
      kind,
      failedSince,
      failedBefore,
    } = options;
    const filter: DeadLetterFilter = {
      ...(tenantId === undefined ? {} : { tenantId }),
      ...(kind === undefined ? {} : { kind }),
      ...(failedSince === undefined ? {} : { failedSince }),
      ...(failedBefore === undefined ? {} : { failedBefore }),
    };
    return this.#store.replay(
      async (letter) => {
        try {
          await handler(JSON.parse(letter.payload) as unknown, letter);
        } catch (error: unknown) {
          this.#replayFailed.add(1, { kind: letter.kind });
          return { replayed: false, at: this.#clock.now(), ...describeFailure(error) };
        }
        this.#replayed.add(1, { kind: letter.kind });
        return { replayed: true, at: this.#clock.now() };
      },
      { filter, maxLetters },
    );
  }

  /**
   * Deletes letters whose last failure is older than `olderThanMs`; returns how many.
   *
   * @throws `ValidationError` naming the field, before the store is called, when `options` is not
   * an object or `olderThanMs` is not a number of milliseconds from 0 to 3153600000000 (about
   * 100 years).
   * @example
   * ```ts
   * await deadLetters.purge({ olderThanMs: 30 * 86_400_000 });
   * ```
   */
  async purge(options: DeadLetterPurgeOptions): Promise<number> {
    throwIfInvalid(
      'DeadLetterQueue.purge',
      isRecord(options)
        ? numberIssues(options.olderThanMs, 'options.olderThanMs', 0, MAX_PURGE_AGE_MS)
        : recordIssues(options, 'options'),
    );
    const purged = await this.#store.purge(this.#clock.now() - options.olderThanMs);
    this.#purged.add(purged);
    return purged;
  }
}

/**
 * Creates a {@link DeadLetterQueue}.
 *
 * @example
 * ```ts
 * import { createDeadLetterQueue } from '@carequeue/resilience';
 * import { postgresDeadLetterStore } from '@carequeue/resilience/postgres';
 *
 * const deadLetters = createDeadLetterQueue({ store: postgresDeadLetterStore({ executor, encryptor }) });
 * try {
 *   await twilio.execute(() => sms.send(reminder));
 * } catch (error: unknown) {
 *   await deadLetters.capture({ kind: 'sms.reminder', tenantId, payload: reminder, error, attempts: 4 });
 * }
 * await deadLetters.replay(async (payload) => sms.send(payload as Reminder), { kind: 'sms.reminder' });
 * ```
 */
export function createDeadLetterQueue(options: DeadLetterQueueOptions): DeadLetterQueue {
  return new DeadLetterQueue(options);
}

export type { DeadLetterQueue };

function replayOptionsIssues(options: Record<string, unknown>): ErrorIssue[] {
  const { maxLetters } = options;
  return [
    ...filterIssues(options, 'options'),
    ...(maxLetters === undefined || maxLetters === Number.POSITIVE_INFINITY
      ? []
      : integerIssues(maxLetters, 'options.maxLetters', 1, Number.MAX_SAFE_INTEGER)),
  ];
}
