import { decodeValue, encodeValue } from '../codec.js';

// The envelope a value is stored in: `<freshUntil>|<staleUntil>|<encoded value>`, so a reader of
// the shared tier knows how long the value is fresh, and how long it may still be served stale,
// without another round trip. Internal: the package entry does not export this module.

/** A value as both tiers hold it: decoded (read-only), encoded, and its two deadlines. */
export interface CachedValue {
  /** The decoded value, frozen. */
  readonly value: unknown;
  /** The value as the codec wrote it; its length sizes the L1 entry. */
  readonly text: string;
  /** Until when (clock ms) the value is fresh. */
  readonly freshUntil: number;
  /** Until when (clock ms) the value may be served stale while it is refreshed. */
  readonly staleUntil: number;
}

/** A value ready for both tiers: the cached value and the envelope the shared tier stores. */
export interface EnvelopedValue {
  readonly cached: CachedValue;
  readonly envelope: string;
}

/**
 * Encodes `value` into its envelope, fresh for `ttlMs` and then stale for `graceMs`.
 *
 * @throws `CacheSerializationError` when the codec cannot store the value.
 * @example
 * ```ts
 * envelopeValue({ open: true }, 1_000, 60_000, 0).envelope; // '61000|61000|...'
 * ```
 */
export function envelopeValue(
  value: unknown,
  now: number,
  ttlMs: number,
  graceMs: number,
): EnvelopedValue {
  const text = encodeValue(value);
  const freshUntil = now + ttlMs;
  const staleUntil = freshUntil + graceMs;
  return {
    cached: { text, freshUntil, staleUntil, value: decodeValue(text, { frozen: true }) },
    envelope: `${freshUntil}|${staleUntil}|${text}`,
  };
}

/**
 * Reads an envelope back into its cached value.
 *
 * @throws `CacheArgumentError` from the codec when the text after the deadlines does not decode.
 * @example
 * ```ts
 * parseEnvelope(envelopeValue(1, 0, 10, 5).envelope); // { freshUntil: 10, staleUntil: 15, ... }
 * ```
 */
export function parseEnvelope(envelope: string): CachedValue {
  const first = envelope.indexOf('|');
  const second = envelope.indexOf('|', first + 1);
  const text = envelope.slice(second + 1);
  return {
    freshUntil: Number(envelope.slice(0, first)),
    staleUntil: Number(envelope.slice(first + 1, second)),
    text,
    value: decodeValue(text, { frozen: true }),
  };
}
