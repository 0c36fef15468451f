import { MAX_CACHE_TTL_MS } from './call-arguments.js';
import type { CacheServiceOptions } from './cache-options.js';
import type { CacheStore } from './cache-store.js';
import { CacheConfigError } from './errors.js';
import type { NamespacePolicy } from './namespace-policy.js';

// The options of createCacheService, checked before anything is built: a `null` options object
// or bus was a raw TypeError, and a namespace ttl of `null` or -5 was taken as given. Messages
// name the option and the rule, never the value (a secret or a tenant could be in one); a
// namespace's name is shown as `*`, since it is a key the caller chose.

const STORE_METHODS = ['read', 'write', 'remove', 'bump', 'acquireLock', 'releaseLock'];

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function refuse(option: string, rule: string): never {
  throw new CacheConfigError(`The option \`${option}\` of createCacheService ${rule}.`);
}

function hasMethods(value: unknown, methods: readonly string[]): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    methods.every((method) => typeof (value as Record<string, unknown>)[method] === 'function')
  );
}

function checkPort(value: unknown, option: string, what: string, methods: readonly string[]): void {
  if (value !== undefined && !hasMethods(value, methods)) {
    refuse(option, `must be ${what} (with ${methods.join(', ')}), or omitted`);
  }
}

function checkMs(value: unknown, option: string, min: number): void {
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < min ||
    value > MAX_CACHE_TTL_MS
  ) {
    refuse(option, `must be a whole number of ms from ${min} to ${MAX_CACHE_TTL_MS} (a year)`);
  }
}

function checkPolicy(policy: unknown): void {
  const at = 'namespaces.*';
  if (typeof policy === 'number') {
    refuse(
      at,
      'must be a namespace policy, not a bare number: durations are in milliseconds, so pass { ttlMs } (five minutes is { ttlMs: 300_000 })',
    );
  }
  if (!isRecord(policy))
    refuse(at, 'must be a namespace policy { ttlMs, sensitive?, graceMs?, l1? }');
  checkMs(policy['ttlMs'], `${at}.ttlMs`, 1);
  if (policy['graceMs'] !== undefined) checkMs(policy['graceMs'], `${at}.graceMs`, 0);
  for (const flag of ['sensitive', 'l1']) {
    if (policy[flag] !== undefined && typeof policy[flag] !== 'boolean') {
      refuse(`${at}.${flag}`, 'must be true or false, or omitted');
    }
  }
}

function checkPositiveInteger(value: unknown, option: string): void {
  if (value !== undefined && !(Number.isSafeInteger(value) && (value as number) > 0)) {
    refuse(option, 'must be a whole number above 0, or omitted');
  }
}

/**
 * Checks the options of `createCacheService`. Internal: the package entry does not export it.
 *
 * @throws {@link CacheConfigError} naming the option at fault.
 * @example
 * ```ts
 * checkServiceOptions({ namespaces: { 'clinic-settings': { ttlMs: 60_000 } } });
 * ```
 */
export function checkServiceOptions(options: unknown): void {
  if (!isRecord(options)) refuse('options', 'must be an object, or omitted');
  const namespaces = options['namespaces'];
  if (namespaces !== undefined) {
    if (!isRecord(namespaces)) refuse('namespaces', 'must be an object of namespace policies');
    for (const policy of Object.values(namespaces)) checkPolicy(policy);
  }
  const store = options['store'];
  if (
    store !== undefined &&
    (!hasMethods(store, STORE_METHODS) ||
      typeof (store as Record<string, unknown>)['shared'] !== 'boolean')
  ) {
    refuse('store', `must be a CacheStore (shared, ${STORE_METHODS.join(', ')}), or omitted`);
  }
  const bus = options['bus'];
  if (
    bus !== undefined &&
    (!hasMethods(bus, ['publish', 'subscribe']) ||
      typeof (bus as Record<string, unknown>)['connected'] !== 'boolean')
  ) {
    refuse('bus', 'must be a CacheBus (connected, publish, subscribe), or omitted');
  }
  const secret = options['keySecret'];
  if (
    secret !== undefined &&
    !((typeof secret === 'string' || secret instanceof Uint8Array) && secret.length > 0)
  ) {
    refuse('keySecret', 'must be a non-empty string or Uint8Array, or omitted');
  }
  checkPort(options['encryptor'], 'encryptor', 'a FieldEncryptor', ['encrypt', 'decrypt']);
  if (options['tenant'] !== undefined && typeof options['tenant'] !== 'function') {
    refuse('tenant', 'must be a function returning the tenant id, or omitted');
  }
  checkPort(options['clock'], 'clock', 'a Clock', ['now', 'setTimeout', 'clearTimeout']);
  const l1 = options['l1'];
  if (l1 !== undefined) {
    if (!isRecord(l1)) refuse('l1', 'must be an object { maxEntries?, maxBytes? }, or omitted');
    checkPositiveInteger(l1['maxEntries'], 'l1.maxEntries');
    checkPositiveInteger(l1['maxBytes'], 'l1.maxBytes');
  }
  checkPort(options['guard'], 'guard', 'a StoreGuard', ['execute']);
  const instanceId = options['instanceId'];
  if (instanceId !== undefined && (typeof instanceId !== 'string' || instanceId === '')) {
    refuse('instanceId', 'must be a non-empty string, or omitted');
  }
  checkPort(options['meter'], 'meter', 'an OpenTelemetry Meter', [
    'createObservableCounter',
    'createObservableGauge',
  ]);
  checkPort(options['logger'], 'logger', 'a Logger', ['warn']);
}

/**
 * Checks what the chosen store requires: namespace names that can be part of a key, and with a
 * shared store a `keySecret` and, for sensitive namespaces, an `encryptor`. Internal: the package
 * entry does not export it.
 *
 * @throws {@link CacheConfigError} naming what is missing.
 * @example
 * ```ts
 * checkStoreRequirements(store, namespaces, options);
 * ```
 */
export function checkStoreRequirements(
  store: CacheStore,
  namespaces: Readonly<Record<string, NamespacePolicy>>,
  options: CacheServiceOptions,
): void {
  for (const name of Object.keys(namespaces)) {
    if (
      name.length === 0 ||
      name.includes(':') ||
      name.includes('*') ||
      name.includes('{') ||
      name.includes('}')
    ) {
      throw new CacheConfigError(
        'Namespace names must be non-empty and contain no ":", "*", "{" or "}".',
      );
    }
  }
  if (!store.shared) return;
  if (options.keySecret === undefined) {
    throw new CacheConfigError(
      'A shared cache store needs `keySecret`, the same on every instance.',
    );
  }
  const sensitive = Object.values(namespaces).some((policy) => policy.sensitive === true);
  if (sensitive && options.encryptor === undefined) {
    throw new CacheConfigError('Sensitive namespaces on a shared store need an `encryptor`.');
  }
}
