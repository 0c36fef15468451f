import { describe, expect, it } from 'vitest';
import { CacheArgumentError, CacheSerializationError } from '../errors.js';
import { envelopeValue, parseEnvelope } from './value-envelope.js';

describe('envelopeValue', () => {
  it('stores the fresh and stale deadlines before the encoded value, and reads them back', () => {
    const { cached, envelope } = envelopeValue({ at: new Date(0) }, 1_000, 60_000, 30_000);
    expect(envelope.startsWith('61000|91000|')).toBe(true);
    const parsed = parseEnvelope(envelope);
    expect(parsed).toMatchObject({ freshUntil: 61_000, staleUntil: 91_000, text: cached.text });
    expect(parsed.value).toEqual({ at: new Date(0) });
    expect(Object.isFrozen(parsed.value)).toBe(true);
  });

  it('refuses a value the codec cannot store, and a text that does not decode', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(() => envelopeValue(cyclic, 0, 1, 0)).toThrow(CacheSerializationError);
    expect(() => parseEnvelope('1|2|not-encoded')).toThrow(CacheArgumentError);
  });
});
