import fc from 'fast-check';

/**
 * Hostile argument values. Every generated string carries the call's marker, so a leak of any
 * of them into an error message, a problem document or a log line can be found by searching for
 * the marker.
 */

/** Field names the services read, so generated objects reach past the first type check. */
const FIELD_NAMES = [
  'id',
  'tenantId',
  'clinicId',
  'patientId',
  'staffId',
  'serviceTypeId',
  'appointmentId',
  'entryId',
  'queueId',
  'userId',
  'subjectId',
  'roles',
  'aal',
  'name',
  'givenName',
  'familyName',
  'email',
  'phone',
  'dateOfBirth',
  'notes',
  'reason',
  'timeZone',
  'from',
  'to',
  'start',
  'end',
  'date',
  'limit',
  'cursor',
  'status',
  'role',
  'priority',
  'expectedVersion',
  'key',
  'namespace',
  'ttlMs',
  'kind',
  'payload',
  'metadata',
  'sortBy',
  'action',
  'resourceType',
  'resourceId',
] as const;

/** Values that are wrong in type or range but carry no string. */
const hostilePrimitive = fc.constantFrom<unknown>(
  null,
  undefined,
  true,
  false,
  0,
  -1,
  -0,
  1.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  Number.MAX_SAFE_INTEGER + 2,
  -Number.MAX_VALUE,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  2 ** 31,
  10n ** 30n,
  Symbol('hostile'),
  new Date(Number.NaN),
  new Date(8.64e15),
  new Date(-8.64e15),
  new Date('0001-01-01T00:00:00Z'),
  [],
  {},
  new Map(),
  Object.create(null),
);

/** Strings built around `marker`: control characters, injection shapes, huge and odd Unicode. */
function hostileString(marker: string): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constant(marker),
    fc.constant(`\u0000${marker}`),
    fc.constant(`${marker}\u0000`),
    fc.constant(`\u0007\u001b[2J${marker}\r\n`),
    fc.constant(`'; DROP TABLE patients; --${marker}`),
    fc.constant(`../../${marker}`),
    fc.constant(`<script>${marker}</script>`),
    fc.constant(`${marker}\ud800`),
    fc.constant(`${marker}@${marker}.invalid`),
    fc.constant(`+1${marker}`),
    fc.constant(`${marker}-01-01`),
    fc.constant(`0001-01-01T00:00:00Z${marker}`),
    fc.constant(`{"__proto__":{"${marker}":1}}`),
    fc.constant(marker.repeat(20_000)),
    fc.string({ maxLength: 40 }).map((noise) => `${noise}${marker}`),
    fc.string({ unit: 'binary', maxLength: 20 }).map((noise) => `${marker}${noise}`),
  );
}

/** An object that refers to itself, which overflows a naive deep copy or serializer. */
function circularObject(marker: string): Record<string, unknown> {
  const value: Record<string, unknown> = { name: marker, id: marker };
  value['self'] = value;
  value['nested'] = { parent: value };
  return value;
}

/** Instants no clinic can have: before the epoch, in year 0001 and 9999, and unparseable. */
function extremeDate(marker: string): fc.Arbitrary<unknown> {
  return fc.constantFrom<unknown>(
    '0001-01-01T00:00:00.000Z',
    '9999-12-31T23:59:59.999Z',
    '+275760-09-13T00:00:00.000Z',
    '1969-12-31T23:59:59.999Z',
    `2026-13-45T99:99:99Z${marker}`,
    -8.64e15,
    8.64e15,
  );
}

/** What the fixture says a plausible caller would pass, so one wrong value reaches deep checks. */
export interface ValuePool {
  /** Valid values of this tenant: actors, ids of seeded rows, whole valid inputs. */
  readonly plausible: readonly unknown[];
  /** Valid ids of another tenant's rows, which a caller of this tenant must not reach. */
  readonly foreignIds: readonly string[];
}

/**
 * One hostile value for a call whose strings carry `marker`.
 *
 * @example
 * ```ts
 * const [value] = fc.sample(hostileValue('Zq81LmXv03Pa', pool), { seed: 1, numRuns: 1 });
 * ```
 */
export function hostileValue(marker: string, pool: ValuePool, depth = 2): fc.Arbitrary<unknown> {
  const leaves: fc.Arbitrary<unknown>[] = [
    hostilePrimitive,
    hostileString(marker),
    extremeDate(marker),
    fc.constant(circularObject(marker)),
    fc.constant(() => marker),
    fc.constant(() => Promise.resolve({ value: marker })),
  ];
  if (pool.foreignIds.length > 0) leaves.push(fc.constantFrom(...pool.foreignIds));
  if (depth === 0) return fc.oneof(...leaves);
  const inner = hostileValue(marker, pool, depth - 1);
  return fc.oneof(
    { weight: 4, arbitrary: fc.oneof(...leaves) },
    {
      weight: 2,
      arbitrary: fc.dictionary(fc.constantFrom(...FIELD_NAMES), inner, {
        minKeys: 1,
        maxKeys: 6,
      }),
    },
    { weight: 1, arbitrary: fc.array(inner, { maxLength: 4 }) },
    { weight: 2, arbitrary: plausibleWithHostileField(marker, pool, inner) },
  );
}

/** A plausible object from the pool with one field replaced by a hostile value. */
function plausibleWithHostileField(
  marker: string,
  pool: ValuePool,
  inner: fc.Arbitrary<unknown>,
): fc.Arbitrary<unknown> {
  const objects = pool.plausible.filter(
    (value): value is Record<string, unknown> =>
      typeof value === 'object' && value !== null && !Array.isArray(value),
  );
  if (objects.length === 0) return hostileString(marker);
  return fc
    .tuple(fc.constantFrom(...objects), fc.constantFrom(...FIELD_NAMES), inner)
    .map(([base, field, value]) => {
      const keys = Object.keys(base);
      const target = keys.length > 0 && keys.includes(field) ? field : (keys[0] ?? field);
      return { ...base, [target]: value };
    });
}

/**
 * Argument lists for a method of `arity` parameters: each position is either a plausible value
 * or a hostile one, and at least one is hostile. When the fixture gives a valid argument list,
 * most lists are that list with one argument (or one of its fields) made hostile.
 *
 * @example
 * ```ts
 * const lists = fc.sample(hostileArguments('Zq81LmXv03Pa', pool, 2), { seed, numRuns: 200 });
 * ```
 */
export function hostileArguments(
  marker: string,
  pool: ValuePool,
  arity: number,
  validExample?: readonly unknown[],
): fc.Arbitrary<unknown[]> {
  const hostile = hostileValue(marker, pool);
  const plausible =
    pool.plausible.length > 0 ? fc.constantFrom(...pool.plausible) : fc.constant(undefined);
  const length = Math.max(arity, 1);
  const free = fc
    .tuple(
      fc.array(fc.oneof(plausible, hostile), { minLength: length, maxLength: length + 1 }),
      fc.nat({ max: length - 1 }),
      hostile,
    )
    .map(([values, position, bad]) =>
      values.map((value, index) => (index === position ? bad : value)),
    );
  if (validExample === undefined || validExample.length === 0) return free;
  const mutated = fc
    .tuple(fc.nat({ max: validExample.length - 1 }), hostile, fc.boolean())
    .map(([position, bad, intoField]) =>
      validExample.map((value, index) => {
        if (index !== position) return value;
        return intoField ? withOneFieldReplaced(value, bad) : bad;
      }),
    );
  return fc.oneof({ weight: 3, arbitrary: mutated }, { weight: 1, arbitrary: free });
}

/** `value` with one of its own fields set to `bad`, or `bad` itself when it has no field. */
function withOneFieldReplaced(value: unknown, bad: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return bad;
  const keys = Object.keys(value);
  if (keys.length === 0) return bad;
  const key = keys[Math.abs(hashOf(bad)) % keys.length] ?? keys[0];
  return { ...value, [key as string]: bad };
}

/** A cheap, stable number derived from a value, to pick a field without another random draw. */
function hashOf(value: unknown): number {
  const text = typeof value === 'string' ? value : typeof value;
  let hash = 0;
  for (let index = 0; index < Math.min(text.length, 64); index += 1) {
    hash = (hash * 31 + text.charCodeAt(index)) | 0;
  }
  return hash;
}

/**
 * A random 12-character marker (letters and digits).
 *
 * @example
 * ```ts
 * const markers = fc.sample(markerArbitrary, { seed, numRuns: 200 });
 * ```
 */
export const markerArbitrary: fc.Arbitrary<string> = fc.string({
  unit: fc.constantFrom(...'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789'),
  minLength: 12,
  maxLength: 12,
});
