import type { CacheCallOptions } from '../cache-options.js';
import { parseKey } from '../cache-key.js';
import { emptyCounters, type NamespaceCounters } from '../cache-stats.js';
import type { StoreAddress } from '../cache-store.js';
import { CacheConfigError, CacheKeyError, CacheTenantRequiredError } from '../errors.js';
import type { KeyHasher } from '../key-hasher.js';
import type { NamespacePolicy } from '../namespace-policy.js';

// Turns what a caller names (a tenant and a `<namespace>:<id>` key) into what the tiers use: a
// scope and a key that are keyed HMACs, the generation fields a value depends on, and the
// namespace's counters. Internal: the package entry does not export this module.

/** Everything the tiers need to know about one key of one tenant, built once and memoized. */
export interface ResolvedKey {
  readonly namespace: string;
  readonly policy: NamespacePolicy;
  /** `<hmac(tenant)>:<namespace>`: the Redis hash tag and the bus's unit. */
  readonly scope: string;
  readonly hashedKey: string;
  /** The key of the value in L1: the scope and the hashed key. */
  readonly l1Key: string;
  /** The namespace generation, and the prefix generation when the id has a prefix. */
  readonly baseFields: readonly string[];
  /** The address of the value when no tags or subject are given, built once per key. */
  readonly address: StoreAddress;
  readonly counters: NamespaceCounters;
}

/** The counters and the namespace of a store call, all that counting it needs. */
export type CountedNamespace = Pick<ResolvedKey, 'counters' | 'namespace'>;

/** Resolves keys and the generation fields of prefixes, tags and subjects. */
export interface KeyResolver {
  /** The call's tenant, or the service's; checked against the tenant alphabet once. */
  tenantOfCall(call: CacheCallOptions | undefined): string;
  /** The policy of a configured namespace. */
  requirePolicy(namespace: string): NamespacePolicy;
  /** `<hmac(tenant)>:<namespace>`. */
  scopeOf(tenant: string, namespace: string): string;
  resolveKey(key: string, call: CacheCallOptions | undefined): ResolvedKey;
  /** The address of a value written or read with tags or a subject (the memoized one without). */
  addressWith(
    resolved: ResolvedKey,
    tenant: string,
    tags: readonly string[] | undefined,
    subject: string | undefined,
  ): StoreAddress;
  prefixField(scope: string, prefix: string): string;
  tagFields(tenant: string, tags: readonly string[]): string[];
  subjectField(tenant: string, subject: string): string;
  countersOf(namespace: string): NamespaceCounters;
  /** The names of the configured namespaces. */
  readonly namespaceNames: readonly string[];
}

/** What {@link createKeyResolver} reads from the service's options. */
export interface KeyResolverOptions {
  readonly namespaces: Readonly<Record<string, NamespacePolicy>>;
  readonly hash: KeyHasher;
  readonly defaultTenant: () => string | undefined;
  readonly counters: ReadonlyMap<string, NamespaceCounters>;
}

// Tenants become part of Redis hash tags and key scopes, so their alphabet is restricted.
const TENANT_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;
// Bounds both memos, so a stream of distinct keys or tenants cannot grow them without limit.
const MEMO_LIMIT = 50_000;

/**
 * Creates the resolver of one cache service.
 *
 * @throws from its methods: {@link CacheTenantRequiredError} when no tenant is known,
 * {@link CacheKeyError} for a malformed key or tenant or an unconfigured namespace, and
 * {@link CacheConfigError} when the `tenant` option returns something that is not a string.
 * @example
 * ```ts
 * const keys = createKeyResolver({ namespaces, hash, defaultTenant: () => tenantId, counters });
 * keys.resolveKey('clinic-settings:main', undefined).address;
 * ```
 */
export function createKeyResolver(options: KeyResolverOptions): KeyResolver {
  const { namespaces, hash, defaultTenant, counters } = options;
  const knownTenants = new Set<string>();
  // Per tenant, so the hot path looks keys up without building a combined string.
  const resolvedByTenant = new Map<string, Map<string, ResolvedKey>>();
  let resolvedCount = 0;

  function tenantOfCall(call: CacheCallOptions | undefined): string {
    const tenant: unknown = call?.tenant ?? defaultTenant();
    if (tenant === undefined || tenant === '') throw new CacheTenantRequiredError();
    if (typeof tenant !== 'string') {
      throw new CacheConfigError(
        'The `tenant` option of createCacheService returned something that is not a string. Return the tenant id, or undefined when there is none.',
      );
    }
    if (!knownTenants.has(tenant)) {
      if (!TENANT_PATTERN.test(tenant)) {
        throw new CacheKeyError('a tenant is 1 to 128 letters, digits, "-" or "_"');
      }
      if (knownTenants.size >= MEMO_LIMIT) knownTenants.clear();
      knownTenants.add(tenant);
    }
    return tenant;
  }

  function requirePolicy(namespace: string): NamespacePolicy {
    // Own properties only: `constructor` or `toString` must not pass for a configured namespace.
    const policy = Object.hasOwn(namespaces, namespace) ? namespaces[namespace] : undefined;
    if (policy === undefined) throw new CacheKeyError('the namespace is not configured');
    return policy;
  }

  // A scope names Redis keys (as their Cluster hash tag) and travels on the bus, so the tenant
  // appears in it only as its keyed HMAC. The NUL-led input cannot equal any other hashed text:
  // those start with a tenant or a scope, neither of which can hold a NUL.
  const scopeOf = (tenant: string, namespace: string): string =>
    `${hash(`\u0000tenant\u0000${tenant}`)}:${namespace}`;
  const prefixField = (scope: string, prefix: string): string =>
    `p:${hash(`${scope}\u0000${prefix}`)}`;
  const tagFields = (tenant: string, tags: readonly string[]): string[] =>
    tags.map((tag) => `t:${hash(`${tenant}\u0000${tag}`)}`);
  // One generation field per subject and tenant, moved by eraseSubject in every namespace. The
  // NUL-led input cannot equal a tenant, scope or tag input, as for the scope.
  const subjectField = (tenant: string, subject: string): string =>
    `s:${hash(`\u0000subject\u0000${tenant}\u0000${subject}`)}`;
  const countersOf = (namespace: string): NamespaceCounters =>
    counters.get(namespace) ?? emptyCounters();

  function buildResolvedKey(tenant: string, key: string): ResolvedKey {
    const parsed = parseKey(key);
    const policy = requirePolicy(parsed.namespace);
    const scope = scopeOf(tenant, parsed.namespace);
    const hashedKey = hash(`${scope}\u0000${parsed.id}`);
    const baseFields =
      parsed.prefix === undefined ? ['n'] : ['n', prefixField(scope, parsed.prefix)];
    return {
      namespace: parsed.namespace,
      policy,
      scope,
      hashedKey,
      l1Key: `${scope}\u0000${hashedKey}`,
      baseFields,
      address: { scope, key: hashedKey, fields: baseFields },
      counters: countersOf(parsed.namespace),
    };
  }

  function resolveKey(key: string, call: CacheCallOptions | undefined): ResolvedKey {
    const tenant = tenantOfCall(call);
    let byKey = resolvedByTenant.get(tenant);
    const memoized = byKey?.get(key);
    if (memoized !== undefined) return memoized;
    const resolved = buildResolvedKey(tenant, key);
    if (resolvedCount >= MEMO_LIMIT) {
      resolvedByTenant.clear();
      resolvedCount = 0;
      byKey = undefined;
    }
    if (byKey === undefined) {
      byKey = new Map();
      resolvedByTenant.set(tenant, byKey);
    }
    byKey.set(key, resolved);
    resolvedCount += 1;
    return resolved;
  }

  function addressWith(
    resolved: ResolvedKey,
    tenant: string,
    tags: readonly string[] | undefined,
    subject: string | undefined,
  ): StoreAddress {
    if ((tags === undefined || tags.length === 0) && subject === undefined) return resolved.address;
    const fields = [...resolved.baseFields, ...tagFields(tenant, tags ?? [])];
    if (subject !== undefined) fields.push(subjectField(tenant, subject));
    return { scope: resolved.scope, key: resolved.hashedKey, fields };
  }

  return {
    tenantOfCall,
    requirePolicy,
    scopeOf,
    resolveKey,
    addressWith,
    prefixField,
    tagFields,
    subjectField,
    countersOf,
    namespaceNames: Object.keys(namespaces),
  };
}
