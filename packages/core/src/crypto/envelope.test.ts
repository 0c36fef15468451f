import { createSecretKey, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.js';
import { openEnvelope, parseEnvelope, sealEnvelope, type FieldContext } from './envelope.js';

const marker = 'Zq81LmXv03Pa';
const key = createSecretKey(randomBytes(32));
const field: FieldContext = { table: 'patients', column: 'ssn', rowId: 'p_1' };

function validationErrorOf(call: () => unknown): ValidationError {
  let caught: unknown;
  try {
    call();
  } catch (error: unknown) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ValidationError);
  const error = caught as ValidationError;
  expect(JSON.stringify(error.toProblem())).not.toContain(marker);
  return error;
}

describe('envelope functions', () => {
  it('round-trip a value when sealed, parsed and opened with the same key and context', () => {
    const text = sealEnvelope('k', 'k1', key, Buffer.from('123-45-6789'), field);
    expect(openEnvelope(parseEnvelope(text), key, field).toString('utf8')).toBe('123-45-6789');
  });

  it('openEnvelope refuses an envelope, key or context of the wrong shape with a ValidationError naming it instead of a raw TypeError', () => {
    const envelope = parseEnvelope(sealEnvelope('k', 'k1', key, Buffer.from('x'), field));
    expect(
      validationErrorOf(() =>
        openEnvelope(undefined as never, marker as never, marker as never),
      ).issues.map((issue) => issue.path),
    ).toEqual(['envelope', 'key', 'context']);
    expect(
      validationErrorOf(() =>
        openEnvelope({ ...envelope, iv: marker } as never, createSecretKey(randomBytes(16)), field),
      ).issues.map((issue) => issue.path),
    ).toEqual(['envelope.iv', 'key']);
  });

  it('sealEnvelope and parseEnvelope refuse arguments of the wrong type with a ValidationError instead of a raw TypeError', () => {
    expect(
      validationErrorOf(() =>
        sealEnvelope('x' as never, `${marker}.`, key, marker as never, null as never),
      ).issues.map((issue) => issue.path),
    ).toEqual(['mode', 'keyRef', 'plaintext', 'context']);
    expect(
      validationErrorOf(() => parseEnvelope(42 as never)).issues.map((issue) => issue.path),
    ).toEqual(['text']);
  });
});
