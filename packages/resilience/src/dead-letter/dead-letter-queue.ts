import { randomUUID } from 'node:crypto';
import { isCarequeueError, systemClock, type Clock } from '@carequeue/core';
import { getContext } from '@carequeue/core/context';
import { type Counter, type Meter, metrics } from '@opentelemetry/api';
import { optionsObject } from '../config/options-object.js';
import { ResilienceConfigError } from '../errors.js';
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
 * const options: DeadLetterQueueOptions = { store: createMemoryDeadLetterStore(), clock: createFakeClock() };
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
 * @example
 * ```ts
 * import { DeadLetterQueue } from '@carequeue/resilience';
 * import { postgresDeadLetterStore } from '@carequeue/resilience/postgres';
 *
 * const deadLetters = new DeadLetterQueue({ store: postgresDeadLetterStore({ executor, encryptor }) });
 * try {
 *   await twilio.execute(() => sms.send(reminder));
 * } catch (error: unknown) {
 *   await deadLetters.capture({ kind: 'sms.reminder', tenantId, payload: reminder, error, attempts: 4 });
 * }
 * await deadLetters.replay(async (payload) => sms.send(payload as Reminder), { kind: 'sms.reminder' });
 * ```
 */
export class DeadLetterQueue {
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
   * @throws {@link ResilienceConfigError} when `capture` is not an object, `kind` or `tenantId` is
   * not a non-empty string, `attempts` is not a positive integer or the payload is not
   * JSON-serializable.
   * @example
   * ```ts
   * const id = await deadLetters.capture({ kind: 'ml.wait-estimate', tenantId, payload: { queueId }, error });
   * ```
   */
  async capture(capture: DeadLetterCapture): Promise<string> {
    optionsObject('DeadLetterQueue.capture capture', capture);
    for (const field of ['kind', 'tenantId'] as const) {
      if (typeof capture[field] !== 'string' || capture[field] === '') {
        throw new ResilienceConfigError(
          `DeadLetterQueue.capture capture.${field} must be a non-empty string.`,
        );
      }
    }
    const attempts = capture.attempts ?? 1;
    if (!Number.isInteger(attempts) || attempts < 1) {
      throw new ResilienceConfigError(
        'DeadLetterQueue.capture capture.attempts must be a positive integer.',
      );
    }
    const payload = JSON.stringify(capture.payload) as string | undefined;
    if (payload === undefined) {
      throw new ResilienceConfigError(
        'DeadLetterQueue.capture capture.payload must be JSON-serializable.',
      );
    }
    const id = capture.id ?? randomUUID();
    await this.#store.add({
      id,
      tenantId: capture.tenantId,
      kind: capture.kind,
      payload,
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
   * @throws {@link ResilienceConfigError} when `query` is not an object or `limit` is not an
   * integer from 1 to 500.
   * @example
   * ```ts
   * const { letters, nextCursor } = await deadLetters.list({ tenantId, kind: 'sms.reminder', limit: 20 });
   * ```
   */
  async list(query: DeadLetterListQuery = {}): Promise<DeadLetterPage> {
    optionsObject('DeadLetterQueue.list query', query);
    return this.#store.list(query);
  }

  /**
   * Replays pending letters, oldest first, through `handler`. Safe to run on several instances
   * at once: each letter is claimed by one replayer and marked replayed when its handler
   * succeeds, so it succeeds at most once. A handler failure records one more attempt with the
   * new error, keeps the letter pending, and the run goes on with the next letter.
   *
   * @throws {@link ResilienceConfigError} when `handler` is not a function or `options` not an object.
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
    if (typeof handler !== 'function') {
      throw new ResilienceConfigError('DeadLetterQueue.replay handler must be a function.');
    }
    const { maxLetters = Number.POSITIVE_INFINITY, ...filter } = optionsObject(
      'DeadLetterQueue.replay options',
      options,
    );
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
   * @throws {@link ResilienceConfigError} when `options` is not an object or `olderThanMs` is negative.
   * @example
   * ```ts
   * await deadLetters.purge({ olderThanMs: 30 * 86_400_000 });
   * ```
   */
  async purge(options: DeadLetterPurgeOptions): Promise<number> {
    optionsObject('DeadLetterQueue.purge options', options);
    if (!(options.olderThanMs >= 0)) {
      throw new ResilienceConfigError(
        'DeadLetterQueue.purge options.olderThanMs must be a number of 0 or more.',
      );
    }
    const purged = await this.#store.purge(this.#clock.now() - options.olderThanMs);
    this.#purged.add(purged);
    return purged;
  }
}
