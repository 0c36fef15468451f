import type { CacheBusListener, CacheBusMessage } from './cache-bus.js';
import type { StoreAddress } from './cache-store.js';
import { CacheArgumentError, CacheConfigError } from './errors.js';

// The arguments of the store and bus adapters' methods. The service always passes valid ones;
// these are for every other caller (a store is a public object too), so that a `null` address or
// listener is a CacheArgumentError naming it rather than a raw TypeError. Internal: the package
// entry does not export this module.

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Refuses anything but a non-empty string (a scope, a hashed key, a lock token).
 *
 * @throws {@link CacheArgumentError} naming `argument`.
 * @example
 * ```ts
 * checkName(scope, 'scope');
 * ```
 */
export function checkName(value: unknown, argument: string): asserts value is string {
  if (typeof value !== 'string' || value === '') {
    throw new CacheArgumentError(argument, 'must be a non-empty string');
  }
}

/**
 * Refuses anything but an array of non-empty strings (generation fields).
 *
 * @throws {@link CacheArgumentError} naming `argument`.
 * @example
 * ```ts
 * checkNames(fields, 'fields');
 * ```
 */
export function checkNames(value: unknown, argument: string): asserts value is string[] {
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string' || item === '')) {
    throw new CacheArgumentError(argument, 'must be an array of non-empty strings');
  }
}

/**
 * Refuses anything but a {@link StoreAddress}.
 *
 * @throws {@link CacheArgumentError} naming `address` or its field at fault.
 * @example
 * ```ts
 * checkAddress(address);
 * ```
 */
export function checkAddress(address: unknown): asserts address is StoreAddress {
  if (!isRecord(address)) throw new CacheArgumentError('address', 'must be a store address');
  checkName(address['scope'], 'address.scope');
  checkName(address['key'], 'address.key');
  checkNames(address['fields'], 'address.fields');
}

/**
 * Refuses a ttl that is not a finite number of ms above 0 (an expiry must fit Redis's range).
 *
 * @throws {@link CacheArgumentError} naming `argument`.
 * @example
 * ```ts
 * checkTtl(ttlMs, 'ttlMs');
 * ```
 */
export function checkTtl(value: unknown, argument: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > 2 ** 52) {
    throw new CacheArgumentError(argument, 'must be a finite number of ms above 0');
  }
}

/**
 * Refuses the arguments of `CacheStore.write` unless they have the types the port names.
 *
 * @throws {@link CacheArgumentError} naming the argument at fault.
 * @example
 * ```ts
 * checkWrite(address, payload, ttlMs, expectedStamp);
 * ```
 */
export function checkWrite(
  address: unknown,
  payload: unknown,
  ttlMs: unknown,
  expectedStamp: unknown,
): void {
  checkAddress(address);
  if (typeof payload !== 'string') throw new CacheArgumentError('payload', 'must be a string');
  checkTtl(ttlMs, 'ttlMs');
  if (expectedStamp !== undefined && typeof expectedStamp !== 'string') {
    throw new CacheArgumentError('expectedStamp', 'must be a stamp string, or undefined');
  }
}

/**
 * Refuses a bus message that is not a {@link CacheBusMessage}.
 *
 * @throws {@link CacheArgumentError} naming `message` or its field at fault.
 * @example
 * ```ts
 * checkBusMessage(message);
 * ```
 */
export function checkBusMessage(message: unknown): asserts message is CacheBusMessage {
  if (!isRecord(message)) throw new CacheArgumentError('message', 'must be a bus message');
  checkName(message['origin'], 'message.origin');
  checkName(message['scope'], 'message.scope');
  for (const list of ['keys', 'fields'] as const) {
    if (message[list] !== undefined) checkNames(message[list], `message.${list}`);
  }
  const generations = message['generations'];
  if (
    generations !== undefined &&
    (!Array.isArray(generations) || generations.some((item) => !Number.isFinite(item)))
  ) {
    throw new CacheArgumentError('message.generations', 'must be an array of numbers');
  }
}

/**
 * Refuses a listener without `message` and `connection` functions.
 *
 * @throws {@link CacheArgumentError} naming `listener`.
 * @example
 * ```ts
 * checkListener(listener);
 * ```
 */
export function checkListener(listener: unknown): asserts listener is CacheBusListener {
  if (
    !isRecord(listener) ||
    typeof listener['message'] !== 'function' ||
    typeof listener['connection'] !== 'function'
  ) {
    throw new CacheArgumentError(
      'listener',
      'must be an object with message and connection functions',
    );
  }
}

// The adapters' factory options are configuration: a wrong one is a CacheConfigError naming the
// option, like createCacheService's.
function refuseOption(factory: string, option: string, rule: string): never {
  throw new CacheConfigError(`The option \`${option}\` of ${factory} ${rule}.`);
}

/**
 * Refuses options of `memoryCacheStore` that are not `undefined` or `{ clock? }`.
 *
 * @throws {@link CacheConfigError} naming `options` or `clock`.
 * @example
 * ```ts
 * checkStoreOptions({ clock });
 * ```
 */
export function checkStoreOptions(options: unknown): void {
  if (!isRecord(options))
    refuseOption('memoryCacheStore', 'options', 'must be an object, or omitted');
  const clock = options['clock'];
  if (clock !== undefined && (!isRecord(clock) || typeof clock['now'] !== 'function')) {
    refuseOption('memoryCacheStore', 'clock', 'must be a Clock (with now), or omitted');
  }
}

// The client methods each Redis adapter calls, and its one optional string option.
const REDIS_FACTORIES = {
  redisCacheStore: {
    methods: ['defineCommand', 'mget', 'set', 'incr', 'unlink'],
    text: 'keyPrefix',
  },
  redisCacheBus: { methods: ['duplicate', 'publish'], text: 'channel' },
} as const;

/**
 * Refuses options of a Redis adapter without an ioredis client (an object with the methods the
 * adapter calls), or with a `keyPrefix` or `channel` that is not a non-empty string. A
 * `keyPrefix` may not hold `{` or `}`: the store adds the cluster hash tag itself, and a brace in
 * the prefix would move a scope's keys to different slots.
 *
 * @throws {@link CacheConfigError} naming `options` or the option at fault.
 * @example
 * ```ts
 * checkRedisOptions(options, 'redisCacheBus');
 * ```
 */
export function checkRedisOptions(options: unknown, factory: keyof typeof REDIS_FACTORIES): void {
  const { methods, text } = REDIS_FACTORIES[factory];
  if (!isRecord(options)) refuseOption(factory, 'options', 'must be an object { client }');
  const client = options['client'];
  if (!isRecord(client) || methods.some((method) => typeof client[method] !== 'function')) {
    refuseOption(
      factory,
      'client',
      `must be an ioredis Redis or Cluster client (${methods.join(', ')})`,
    );
  }
  const value = options[text];
  if (value === undefined) return;
  if (typeof value !== 'string' || value === '') {
    refuseOption(factory, text, 'must be a non-empty string, or omitted');
  }
  if (text === 'keyPrefix' && /[{}]/.test(value)) {
    refuseOption(factory, text, 'must not contain "{" or "}" (the store adds the hash tag)');
  }
}

/**
 * Runs `check` and returns the rejected promise a method returns when it throws, or `undefined`
 * when the arguments are valid: promise-returning methods reject rather than throw.
 *
 * @example
 * ```ts
 * const refused = refusal(() => checkAddress(address));
 * if (refused) return refused;
 * ```
 */
export function refusal(check: () => void): Promise<never> | undefined {
  try {
    check();
    return undefined;
  } catch (error: unknown) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
