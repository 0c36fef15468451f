import type { CacheBus, CacheBusMessage } from '../cache-bus.js';
import type { CacheCallOptions } from '../cache-options.js';
import { parseInvalidationPattern } from '../cache-key.js';
import type { CacheStore } from '../cache-store.js';
import type { KeyResolver, ResolvedKey } from './key-resolver.js';
import type { L1Tier } from './l1-tier.js';
import type { L2Tier } from './l2-tier.js';

// Dropping values: one key is removed from both tiers; a tenant, namespace, prefix, tag or
// subject is one generation increment per namespace in the shared tier (never a scan), with the
// local copies dropped at once and the change announced on the bus, so other instances drop
// theirs. Messages from other instances drop the same copies here. Internal: the package entry
// does not export this module.

/** Drops values on every instance. */
export interface Invalidation {
  /** Tells other instances that the value under one key changed. */
  announceKeyChange(resolved: ResolvedKey): void;
  /** Drops one key from both tiers and tells other instances. */
  deleteKey(resolved: ResolvedKey): Promise<void>;
  /** Drops `*` (the tenant), `<namespace>:*` or `<namespace>:<prefix>:*`; `deleteKey` for one key. */
  invalidatePattern(
    pattern: string,
    call: CacheCallOptions | undefined,
    deleteKey: () => Promise<void>,
  ): Promise<void>;
  /** Drops every value carrying one of `tags`, in every namespace of the tenant. */
  invalidateTags(tenant: string, tags: readonly string[]): Promise<void>;
  /** Drops every value stored with `subject`, in every namespace of the tenant. */
  eraseSubject(tenant: string, subject: string): Promise<void>;
  /** Stops following the bus. */
  stopFollowingBus(): void;
}

/** The collaborators of the invalidation. */
export interface InvalidationOptions {
  readonly store: CacheStore;
  readonly bus: CacheBus | undefined;
  readonly instanceId: string;
  readonly keys: KeyResolver;
  readonly l1: L1Tier;
  readonly l2: L2Tier;
}

/** Generation fields to move in one namespace. */
interface GenerationBump {
  readonly namespace: string;
  readonly fields: readonly string[];
}

/**
 * Creates the invalidation of one cache service and starts following the bus.
 *
 * @example
 * ```ts
 * const invalidation = createInvalidation({ store, bus, instanceId, keys, l1, l2 });
 * await invalidation.invalidateTags(tenantId, ['clinic:c1']);
 * ```
 */
export function createInvalidation(options: InvalidationOptions): Invalidation {
  const { store, bus, instanceId, keys, l1, l2 } = options;

  // Called only once the shared tier has confirmed the change, so a peer that drops its copy
  // and reads again cannot find the old value. Not awaited: a published message is only in
  // flight to peers either way, and waiting for the reply would add a round trip to every write.
  function announce(message: Omit<CacheBusMessage, 'origin'>): void {
    if (bus === undefined) return;
    let sent: Promise<void>;
    try {
      sent = bus.publish({ origin: instanceId, ...message });
    } catch {
      return;
    }
    sent.catch(() => {
      // Peers that miss a message still stop serving the value once L2 generations move; L1
      // copies there expire with their ttl.
    });
  }

  async function bumpGenerations(tenant: string, bumps: readonly GenerationBump[]): Promise<void> {
    await Promise.all(
      bumps.map(async ({ namespace, fields }) => {
        const scope = keys.scopeOf(tenant, namespace);
        const counted = { counters: keys.countersOf(namespace), namespace };
        counted.counters.invalidations += 1;
        l1.dropCopies(scope, fields, []);
        const generations = await l2.callStore(counted, () => store.bump(scope, fields), 'bump');
        announce({ scope, fields, generations: generations ?? [] });
      }),
    );
  }

  const inEveryNamespace = (fields: readonly string[]): GenerationBump[] =>
    keys.namespaceNames.map((namespace) => ({ namespace, fields }));

  const unsubscribe = bus?.subscribe({
    message(message) {
      if (message.origin === instanceId) return;
      l1.dropCopies(message.scope, message.fields ?? [], message.keys ?? []);
    },
    connection(connected) {
      l1.followBusConnection(connected);
    },
  });

  return {
    announceKeyChange(resolved) {
      announce({ scope: resolved.scope, keys: [resolved.hashedKey] });
    },
    async deleteKey(resolved) {
      resolved.counters.invalidations += 1;
      l1.dropCopies(resolved.scope, [], [resolved.hashedKey]);
      await l2.callStore(
        resolved,
        () => store.remove(resolved.scope, resolved.hashedKey),
        'remove',
      );
      announce({ scope: resolved.scope, keys: [resolved.hashedKey] });
    },
    async invalidatePattern(pattern, call, deleteKey) {
      const parsed = parseInvalidationPattern(pattern);
      if (parsed.level === 'key') return deleteKey();
      const tenant = keys.tenantOfCall(call);
      switch (parsed.level) {
        case 'tenant':
          return bumpGenerations(tenant, inEveryNamespace(['n']));
        case 'namespace':
          keys.requirePolicy(parsed.namespace);
          return bumpGenerations(tenant, [{ namespace: parsed.namespace, fields: ['n'] }]);
        case 'prefix': {
          keys.requirePolicy(parsed.namespace);
          const scope = keys.scopeOf(tenant, parsed.namespace);
          return bumpGenerations(tenant, [
            { namespace: parsed.namespace, fields: [keys.prefixField(scope, parsed.prefix)] },
          ]);
        }
      }
    },
    async invalidateTags(tenant, tags) {
      const fields = keys.tagFields(tenant, tags);
      if (fields.length === 0) return;
      return bumpGenerations(tenant, inEveryNamespace(fields));
    },
    eraseSubject(tenant, subject) {
      return bumpGenerations(tenant, inEveryNamespace([keys.subjectField(tenant, subject)]));
    },
    stopFollowingBus() {
      unsubscribe?.();
    },
  };
}
