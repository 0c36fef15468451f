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
