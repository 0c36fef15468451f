/**
 * An ISO-8601 UTC timestamp from a driver value (`pg` and PGlite return `Date` for timestamptz).
 *
 * @example
 * ```ts
 * isoTimestamp(row.created_at); // '2026-03-02T09:00:00.000Z'
 * ```
 */
export function isoTimestamp(value: unknown): string {
  return (value instanceof Date ? value : new Date(String(value))).toISOString();
}

/**
 * An optional ISO-8601 timestamp: `undefined` for SQL NULL.
 *
 * @example
 * ```ts
 * optionalTimestamp(row.erased_at); // undefined
 * ```
 */
export function optionalTimestamp(value: unknown): string | undefined {
  return value === null || value === undefined ? undefined : isoTimestamp(value);
}

/**
 * Drops the keys whose value is `undefined`, so optional model fields stay absent.
 *
 * @example
 * ```ts
 * definedOnly({ a: 1, b: undefined }); // { a: 1 }
 * ```
 */
export function definedOnly<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}
