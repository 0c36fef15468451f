import { emptyCounters } from '../cache-stats.js';
import type { NamespacePolicy } from '../namespace-policy.js';
import type { ResolvedKey } from './key-resolver.js';

/**
 * A resolved key for the service modules' tests, with counters of its own.
 *
 * @example
 * ```ts
 * const key = resolvedKeyFor('scope-1', 'key-1', { ttlMs: 1_000, sensitive: true });
 * ```
 */
export function resolvedKeyFor(
  scope: string,
  hashedKey: string,
  policy: NamespacePolicy = { ttlMs: 1_000 },
): ResolvedKey {
  return {
    namespace: 'ns',
    policy,
    scope,
    hashedKey,
    l1Key: `${scope}\u0000${hashedKey}`,
    baseFields: ['n'],
    address: { scope, key: hashedKey, fields: ['n'] },
    counters: emptyCounters(),
  };
}
