import { CacheArgumentError, CacheSerializationError } from './errors.js';
import { ImmutableDate, ImmutableMap, ImmutableSet } from './immutable.js';

/** A JSON tree where values JSON cannot express are objects tagged with `$t`. */
type Encoded = null | boolean | number | string | Encoded[] | { [key: string]: Encoded };

const TAG = '$t';
// Deeper values would overflow the stack of the recursive encoder and decoder; real records
// nest a few levels.
const MAX_DEPTH = 1_000;

function assign<V>(target: Record<string, V>, key: string, value: V): void {
  // A `__proto__` key assigned plainly would replace the prototype instead of adding a field.
  if (key === '__proto__') {
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    target[key] = value;
  }
}

/** The objects between the root and the node being encoded, to refuse cycles. */
type Path = Set<object>;

function encodeNode(value: unknown, path: Path): Encoded {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0)
        ? value
        : { [TAG]: 'n', v: Object.is(value, -0) ? '-0' : String(value) };
    case 'bigint':
      return { [TAG]: 'b', v: value.toString() };
    case 'undefined':
      return { [TAG]: 'u' };
    case 'object':
      return value === null ? null : encodeObject(value, path);
    default:
      throw new CacheSerializationError(typeof value);
  }
}

function encodeObject(value: object, path: Path): Encoded {
  if (path.has(value)) throw new CacheSerializationError('circular reference');
  if (path.size >= MAX_DEPTH) throw new CacheSerializationError(`nesting deeper than ${MAX_DEPTH}`);
  path.add(value);
  const encoded = encodeContainer(value, path);
  // Off the path once encoded: the same object may appear again elsewhere without a cycle.
  path.delete(value);
  return encoded;
}

function encodeContainer(value: object, path: Path): Encoded {
  const node = (item: unknown): Encoded => encodeNode(item, path);
  if (Array.isArray(value)) return value.map(node);
  if (value instanceof Date) return { [TAG]: 'd', v: value.getTime() };
  if (value instanceof Map) {
    return { [TAG]: 'm', v: [...value].map(([k, v]) => [node(k), node(v)]) };
  }
  if (value instanceof Set) return { [TAG]: 's', v: [...value].map(node) };
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null)
    throw new CacheSerializationError('class instance');
  const out: Record<string, Encoded> = {};
  for (const [key, field] of Object.entries(value)) assign(out, key, node(field));
  // A user object with its own `$t` field must not be read back as a tagged value.
  return TAG in out ? { [TAG]: 'o', v: Object.entries(out) } : out;
}

// Decoding works in place on the tree JSON.parse returned: plain objects and arrays are reused
// (and frozen when asked), only tagged nodes are replaced.
function decodeNode(node: Encoded, frozen: boolean): unknown {
  if (node === null || typeof node !== 'object') return node;
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i += 1) {
      const item = node[i] as Encoded;
      if (item !== null && typeof item === 'object') node[i] = decodeNode(item, frozen) as Encoded;
    }
    return frozen ? Object.freeze(node) : node;
  }
  const tag = node[TAG];
  if (typeof tag === 'string') return decodeTagged(tag, node.v, frozen);
  for (const key of Object.keys(node)) {
    const field = node[key] as Encoded;
    if (field !== null && typeof field === 'object')
      node[key] = decodeNode(field, frozen) as Encoded;
  }
  return frozen ? Object.freeze(node) : node;
}

function decodeFields(entries: [string, Encoded][], frozen: boolean): unknown {
  const out: Record<string, unknown> = {};
  for (const [key, field] of entries) assign(out, key, decodeNode(field, frozen));
  return frozen ? Object.freeze(out) : out;
}

function decodeTagged(tag: string, payload: Encoded | undefined, frozen: boolean): unknown {
  switch (tag) {
    case 'u':
      return undefined;
    case 'n':
      return Number(payload);
    case 'b':
      return BigInt(payload as string);
    case 'd': {
      // An invalid Date was written as `null` (JSON has no NaN): it stays invalid, not the epoch.
      const time = typeof payload === 'number' ? payload : Number.NaN;
      return frozen ? new ImmutableDate(time) : new Date(time);
    }
    case 'm': {
      const pairs = (payload as [Encoded, Encoded][]).map(
        ([k, v]) => [decodeNode(k, frozen), decodeNode(v, frozen)] as const,
      );
      return frozen ? new ImmutableMap(pairs) : new Map(pairs);
    }
    case 's': {
      const items = (payload as Encoded[]).map((item) => decodeNode(item, frozen));
      return frozen ? new ImmutableSet(items) : new Set(items);
    }
    default:
      return decodeFields(payload as [string, Encoded][], frozen);
  }
}

/**
 * Serializes a value to a string that {@link decodeValue} turns back into an equal value,
 * keeping Date, BigInt, Map, Set, `undefined` fields, `NaN`, `±Infinity` and `-0`.
 *
 * @throws {@link CacheSerializationError} for functions, symbols, class instances other than
 * Date, Map and Set, circular references, and nesting deeper than 1,000 levels.
 * @example
 * ```ts
 * const text = encodeValue({ at: new Date(0), seen: new Set([1n]) });
 * decodeValue(text); // { at: Date(0), seen: Set { 1n } }
 * ```
 */
export function encodeValue(value: unknown): string {
  return JSON.stringify(encodeNode(value, new Set()));
}

/**
 * Reads a string written by {@link encodeValue}. With `frozen`, every object, array, Date, Map
 * and Set of the result is read-only, so one caller cannot change what another reads.
 *
 * @throws {@link CacheArgumentError} (`text`) when the text was not written by `encodeValue`.
 * @default frozen false
 * @example
 * ```ts
 * const profile = decodeValue(text, { frozen: true }) as { name: string };
 * Object.isFrozen(profile); // true
 * ```
 */
export function decodeValue(text: string, options: { readonly frozen?: boolean } = {}): unknown {
  if (typeof text !== 'string') {
    throw new CacheArgumentError('text', 'must be a string written by encodeValue');
  }
  const given: unknown = options;
  const frozen: unknown =
    typeof given === 'object' && given !== null && !Array.isArray(given)
      ? (given as { frozen?: unknown }).frozen
      : null;
  if (frozen !== undefined && typeof frozen !== 'boolean') {
    throw new CacheArgumentError('options', 'must be { frozen?: boolean }, or omitted');
  }
  try {
    return decodeNode(JSON.parse(text) as Encoded, frozen ?? false);
  } catch (error: unknown) {
    // Text from elsewhere (damaged, or not written by encodeValue): JSON or a tag the tree
    // cannot hold. The error names neither, since both come from the text.
    throw new CacheArgumentError('text', 'must be a string written by encodeValue', {
      cause: error,
    });
  }
}
