/**
 * The `IdGenerator` port: services mint ids through it so tests get predictable ids.
 *
 * @packageDocumentation
 */
import { integerIssues, isRecord, throwIfIssues } from './argument-checks.js';
import type { Clock } from './clock.js';
import { createUuidv7Factory, uuidv7 } from './uuidv7.js';

/**
 * Where new ids come from. Every id is a UUIDv7 string.
 *
 * @example
 * ```ts
 * function createPatient(ids: IdGenerator) {
 *   return { id: PatientId.parse(ids.next()) };
 * }
 * ```
 */
export interface IdGenerator {
  /** A new, unique UUIDv7. */
  next(): string;
}

/**
 * The production generator: {@link uuidv7} on the system clock and cryptographic randomness.
 *
 * @example
 * ```ts
 * const service = createBookingService({ ids: systemIdGenerator });
 * ```
 */
export const systemIdGenerator: IdGenerator = { next: uuidv7 };

/** Options of {@link createDeterministicIdGenerator}. */
export interface DeterministicIdGeneratorOptions {
  /**
   * Where the timestamp part comes from; pass the test's fake clock so ids follow its time.
   *
   * @default a clock frozen at 2026-01-01T00:00:00Z
   */
  readonly clock?: Pick<Clock, 'now'>;
  /**
   * Seed of the pseudo-random part; the same seed and clock give the same ids.
   *
   * @default 1
   */
  readonly seed?: number;
}

const DEFAULT_EPOCH = Date.UTC(2026, 0, 1);

/**
 * A generator for tests: valid, ordered UUIDv7s that are the same on every run.
 *
 * @throws `ValidationError` naming the option when `options` is not an object, `clock` has no
 * `now` function or `seed` is not a safe integer.
 * @example
 * ```ts
 * const ids = createDeterministicIdGenerator({ clock: createFakeClock(), seed: 42 });
 * ids.next(); // the same value on every run
 * ```
 */
export function createDeterministicIdGenerator(
  options: DeterministicIdGeneratorOptions = {},
): IdGenerator {
  throwIfIssues(
    'createDeterministicIdGenerator',
    isRecord(options)
      ? [
          ...(options.clock === undefined ||
          (isRecord(options.clock) && typeof options.clock.now === 'function')
            ? []
            : [{ path: 'options.clock', message: 'must be a clock with a now function' }]),
          ...(options.seed === undefined
            ? []
            : integerIssues(
                options.seed,
                'options.seed',
                Number.MIN_SAFE_INTEGER,
                Number.MAX_SAFE_INTEGER,
              )),
        ]
      : [{ path: 'options', message: 'must be an object or be left out' }],
  );
  const clock = options.clock ?? { now: () => DEFAULT_EPOCH };
  let state = (options.seed ?? 1) >>> 0 || 1;
  const next = createUuidv7Factory({
    now: () => clock.now(),
    random: (bytes) => {
      for (let index = 0; index < bytes.length; index += 1) {
        // xorshift32: cheap, seedable and good enough to look random in fixtures.
        state ^= state << 13;
        state >>>= 0;
        state ^= state >>> 17;
        state ^= state << 5;
        state >>>= 0;
        bytes[index] = state & 0xff;
      }
    },
  });
  return { next };
}
