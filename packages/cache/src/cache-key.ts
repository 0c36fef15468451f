import { CacheKeyError } from './errors.js';

const MAX_KEY_LENGTH = 1024;

/** A logical key split into its namespace, its id within it, and its first id segment. */
export interface ParsedKey {
  readonly namespace: string;
  readonly id: string;
  /** The first `:`-separated segment of the id when the id has more than one. */
  readonly prefix: string | undefined;
}

/** What an `invalidate(pattern)` call names. */
export type ParsedPattern =
  | { readonly level: 'tenant' }
  | { readonly level: 'namespace'; readonly namespace: string }
  | { readonly level: 'prefix'; readonly namespace: string; readonly prefix: string }
  | { readonly level: 'key'; readonly key: ParsedKey };

/**
 * Splits `<namespace>:<id>` and checks its shape.
 *
 * @throws {@link CacheKeyError} when the key has no namespace or id, or is too long.
 * @example
 * ```ts
 * parseKey('queue-summaries:clinic_1:2026-03-01');
 * // { namespace: 'queue-summaries', id: 'clinic_1:2026-03-01', prefix: 'clinic_1' }
 * ```
 */
export function parseKey(key: string): ParsedKey {
  if (key.length > MAX_KEY_LENGTH) throw new CacheKeyError(`at most ${MAX_KEY_LENGTH} characters`);
  const split = key.indexOf(':');
  if (split <= 0 || split === key.length - 1) {
    throw new CacheKeyError('expected "<namespace>:<id>"');
  }
  if (key.includes('*')) throw new CacheKeyError('"*" is only allowed in patterns');
  const id = key.slice(split + 1);
  const second = id.indexOf(':');
  return {
    namespace: key.slice(0, split),
    id,
    prefix: second > 0 ? id.slice(0, second) : undefined,
  };
}

/**
 * Reads an invalidation pattern: `*` (the tenant), `<namespace>:*`, `<namespace>:<prefix>:*`,
 * or an exact key.
 *
 * @throws {@link CacheKeyError} for any other use of `*`.
 * @example
 * ```ts
 * parseInvalidationPattern('queue-summaries:clinic_1:*');
 * // { level: 'prefix', namespace: 'queue-summaries', prefix: 'clinic_1' }
 * ```
 */
export function parseInvalidationPattern(pattern: string): ParsedPattern {
  if (pattern === '*') return { level: 'tenant' };
  if (!pattern.endsWith(':*')) return { level: 'key', key: parseKey(pattern) };
  const body = pattern.slice(0, -2);
  if (body.includes('*') || body.length === 0) {
    throw new CacheKeyError('"*" may only end a pattern, after a namespace or one prefix level');
  }
  const parts = body.split(':');
  if (parts.length === 1) return { level: 'namespace', namespace: body };
  const [namespace, prefix] = parts;
  if (parts.length > 2 || !namespace || !prefix) {
    throw new CacheKeyError('patterns cover a tenant, a namespace or one prefix level');
  }
  return { level: 'prefix', namespace, prefix };
}
