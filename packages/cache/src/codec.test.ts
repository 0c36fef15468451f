import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeValue, encodeValue } from './codec.js';
import { CacheSerializationError, CacheValueReadOnlyError } from './errors.js';

const leaf = fc.oneof(
  fc.string(),
  fc.double(),
  fc.boolean(),
  fc.bigInt(),
  fc.constant(undefined),
  fc.constant(null),
  fc.date({ noInvalidDate: true }),
);

const value = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, leaf, tie('array'), tie('object'), tie('map'), tie('set')),
  array: fc.array(tie('node'), { maxLength: 4 }),
  object: fc.dictionary(fc.oneof(fc.string(), fc.constant('$t')), tie('node'), {
    maxKeys: 4,
    noNullPrototype: true,
  }),
  map: fc
    .array(fc.tuple(fc.string(), tie('node')), { maxLength: 3 })
    .map((pairs) => new Map(pairs)),
  set: fc
    .array(fc.oneof(fc.string(), fc.integer()), { maxLength: 3 })
    .map((items) => new Set(items)),
})).node;

describe('codec', () => {
  it('round-trips any value when it mixes Date, BigInt, Map, Set and undefined', () => {
    fc.assert(
      fc.property(value, (input) => {
        expect(decodeValue(encodeValue(input))).toStrictEqual(input);
        const text = encodeValue(input);
        expect(encodeValue(decodeValue(text, { frozen: true }))).toBe(text);
      }),
    );
  });

  it('keeps undefined fields present when an object is read back', () => {
    const decoded = decodeValue(encodeValue({ a: undefined, b: 1 })) as Record<string, unknown>;
    expect(Object.keys(decoded)).toEqual(['a', 'b']);
  });

  it('keeps NaN, infinities and negative zero when numbers are read back', () => {
    expect(decodeValue(encodeValue([Number.NaN, Infinity, -Infinity, -0]))).toEqual([
      Number.NaN,
      Infinity,
      -Infinity,
      -0,
    ]);
  });

  it('throws a serialization error when a value holds a function, symbol or class instance', () => {
    class Appointment {}
    expect(() => encodeValue({ f: () => 1 })).toThrow(CacheSerializationError);
    expect(() => encodeValue(Symbol('s'))).toThrow(CacheSerializationError);
    expect(() => encodeValue(new Appointment())).toThrow(CacheSerializationError);
  });

  it('throws a serialization error instead of overflowing the stack when a value is circular (circular value overflows the stack)', () => {
    const object: Record<string, unknown> = {};
    object['self'] = object;
    const list: unknown[] = [];
    list.push(new Map([['back', list]]));
    for (const circular of [object, list]) {
      expect(() => encodeValue(circular)).toThrow(CacheSerializationError);
      expect(() => encodeValue(circular)).toThrow(/circular reference/);
    }
  });

  it('encodes an object reached twice when it is shared but not circular', () => {
    const shared = { open: true };
    expect(decodeValue(encodeValue({ a: shared, b: [shared] }))).toEqual({
      a: { open: true },
      b: [{ open: true }],
    });
  });

  it('throws a serialization error when a value nests deeper than 1,000 levels', () => {
    const nest = (levels: number): unknown => {
      let value: unknown = 'leaf';
      for (let i = 0; i < levels; i += 1) value = [value];
      return value;
    };
    expect(decodeValue(encodeValue(nest(999)))).toBeDefined();
    expect(() => encodeValue(nest(1_001))).toThrow(CacheSerializationError);
  });

  it('returns read-only values when frozen decoding is asked for', () => {
    const decoded = decodeValue(
      encodeValue({ at: new Date(0), list: [1], byId: new Map([['a', 1]]), ids: new Set([1]) }),
      { frozen: true },
    ) as { at: Date; list: number[]; byId: Map<string, number>; ids: Set<number> };
    expect(Object.isFrozen(decoded)).toBe(true);
    expect(() => decoded.list.push(2)).toThrow(TypeError);
    expect(() => decoded.at.setTime(5)).toThrow(CacheValueReadOnlyError);
    expect(() => decoded.byId.set('b', 2)).toThrow(CacheValueReadOnlyError);
    expect(() => decoded.byId.delete('a')).toThrow(CacheValueReadOnlyError);
    expect(() => decoded.byId.clear()).toThrow(CacheValueReadOnlyError);
    expect(() => decoded.ids.add(2)).toThrow(CacheValueReadOnlyError);
    expect(() => decoded.ids.delete(1)).toThrow(CacheValueReadOnlyError);
    expect(() => decoded.ids.clear()).toThrow(CacheValueReadOnlyError);
    expect(decoded.at.getTime()).toBe(0);
  });

  it('keeps an invalid Date invalid, frozen or not, when decoded (it came back as the epoch)', () => {
    const text = encodeValue({ at: new Date(Number.NaN) });
    for (const frozen of [false, true]) {
      const decoded = decodeValue(text, { frozen }) as { at: Date };
      expect(decoded.at).toBeInstanceOf(Date);
      expect(decoded.at.getTime()).toBeNaN();
    }
  });
});
