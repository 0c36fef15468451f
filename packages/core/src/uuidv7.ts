/**
 * UUIDv7 generation (RFC 9562): time-ordered ids that index well in Postgres and sort by
 * creation time, with a monotonic counter so ids made in the same millisecond still sort.
 *
 * @packageDocumentation
 */

import { functionIssues, isRecord, throwIfIssues } from './argument-checks.js';
import { createPooledRandomSource } from './pooled-random.js';

/** Fills a byte array with random bytes. */
export type RandomBytesSource = (bytes: Uint8Array) => void;

/** Where a UUIDv7 factory reads time and randomness from. */
export interface Uuidv7Sources {
  /** Milliseconds since the Unix epoch. */
  readonly now: () => number;
  /** Fills the random part of each id. */
  readonly random: RandomBytesSource;
}

const COUNTER_MAX = 0xfff;
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/**
 * Builds a UUIDv7 factory over the given time and randomness sources. Ids from one factory are
 * strictly increasing, even when the clock stands still or goes backwards.
 *
 * @throws `ValidationError` when `sources` is not an object with `now` and `random` functions.
 * @example
 * ```ts
 * const next = createUuidv7Factory({ now: () => clock.now(), random: (b) => crypto.getRandomValues(b) });
 * next(); // '0194...-7...-8...-...'
 * ```
 */
export function createUuidv7Factory(sources: Uuidv7Sources): () => string {
  throwIfIssues(
    'createUuidv7Factory',
    isRecord(sources)
      ? [
          ...functionIssues(sources.now, 'sources.now'),
          ...functionIssues(sources.random, 'sources.random'),
        ]
      : [{ path: 'sources', message: 'must be an object with now and random functions' }],
  );
  let lastMs = -1;
  let counter = 0;
  const bytes = new Uint8Array(16);

  return () => {
    sources.random(bytes);
    let ms = Math.max(0, Math.floor(sources.now()));
    if (ms > lastMs) {
      // A fresh random counter start keeps ids unguessable; the top bit stays clear so the
      // counter has room to grow within the millisecond (RFC 9562, section 6.2, method 1).
      counter = ((bytes[6] ?? 0) << 4) | ((bytes[7] ?? 0) >> 4);
      counter &= 0x7ff;
      lastMs = ms;
    } else {
      counter += 1;
      if (counter > COUNTER_MAX) {
        lastMs += 1;
        counter = 0;
      }
      ms = lastMs;
    }
    writeTimestamp(bytes, ms);
    bytes[6] = 0x70 | (counter >> 8);
    bytes[7] = counter & 0xff;
    bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
    return format(bytes);
  };
}

function writeTimestamp(bytes: Uint8Array, ms: number): void {
  let remaining = ms;
  for (let index = 5; index >= 0; index -= 1) {
    bytes[index] = remaining % 256;
    remaining = Math.floor(remaining / 256);
  }
}

function format(bytes: Uint8Array): string {
  let out = '';
  for (let index = 0; index < 16; index += 1) {
    if (index === 4 || index === 6 || index === 8 || index === 10) out += '-';
    out += HEX[bytes[index] ?? 0];
  }
  return out;
}

const systemUuidv7 = createUuidv7Factory({
  now: () => Date.now(),
  random: createPooledRandomSource((bytes) => {
    globalThis.crypto.getRandomValues(bytes);
  }),
});

/**
 * A new UUIDv7 from the system clock and the platform's cryptographic random source (read 4 KiB
 * at a time, see {@link createPooledRandomSource}). Works in Node 22.12+ and browsers.
 *
 * @example
 * ```ts
 * import { uuidv7 } from '@carequeue/core';
 *
 * const id = uuidv7(); // '0194b3c2-7f1a-7c3e-9d2b-4a5e6f708192'
 * ```
 */
export function uuidv7(): string {
  return systemUuidv7();
}

/**
 * The millisecond timestamp stored in a UUIDv7.
 *
 * @example
 * ```ts
 * new Date(uuidv7Timestamp(uuidv7())); // about now
 * ```
 */
export function uuidv7Timestamp(id: string): number {
  return Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}
