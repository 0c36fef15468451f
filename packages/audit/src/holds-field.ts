import type { AuditJsonValue } from './audit-event.js';

/**
 * Whether a stored JSON value holds, at any depth, an object entry named in `fields`: whether
 * `protectValue` with those fields would change it. Internal to the package.
 *
 * @example
 * ```ts
 * holdsField({ page: 2, filter: { reason: 'x' } }, FREE_TEXT_FIELDS); // true
 * ```
 */
export function holdsField(value: AuditJsonValue, fields: ReadonlySet<string>): boolean {
  if (Array.isArray(value)) {
    return (value as readonly AuditJsonValue[]).some((item) => holdsField(item, fields));
  }
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(value as Record<string, AuditJsonValue>).some(
    ([key, item]) => fields.has(key) || holdsField(item, fields),
  );
}
