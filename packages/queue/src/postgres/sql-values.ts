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

// The SQL adapters take every row helper from this module, `definedOnly` included; it lives
// apart because the memory adapters use it too.
export { definedOnly } from '../defined-only.js';
