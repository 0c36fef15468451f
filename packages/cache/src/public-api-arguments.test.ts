import { randomUUID } from 'node:crypto';
import { isCarequeueError } from '@carequeue/core';
import { describe, expect, it } from 'vitest';
import { CacheArgumentError } from './errors.js';
import * as entry from './index.js';
import * as redisEntry from './redis/index.js';
import * as testingEntry from './testing/index.js';

// Every exported function of every entry point, and every method of the stores and buses they
// build, is called with hostile arguments in each position (the service's own methods have their
// suite in cache-service-arguments.test.ts): each is refused with a typed error naming the
// argument, before Redis is called, and no message quotes the value. Before, a `null` options
// object, address or listener was a raw TypeError, and a text not written by encodeValue a raw
// SyntaxError.

const MARKER = `Marker-${randomUUID().slice(0, 12)}`;
const circular: Record<string, unknown> = { note: MARKER };
circular['self'] = circular;

const BAD = {
  null: null,
  undefined: undefined,
  number: 42,
  string: MARKER,
  circular,
  array: [MARKER],
} as const;
type BadName = keyof typeof BAD;

interface Param {
  readonly name: string;
  readonly valid: () => unknown;
  /** Bad values that are valid here (the call may succeed or fail with another typed error). */
  readonly accepts: readonly BadName[];
}

const req = (name: string, valid: () => unknown, accepts: readonly BadName[] = []): Param => ({
  name,
  valid,
  accepts,
});
const opt = (name: string, valid: () => unknown, accepts: readonly BadName[] = []): Param =>
  req(name, valid, ['undefined', ...accepts]);
const text = (name: string, valid: () => unknown): Param => req(name, valid, ['string']);

const redisCalls: string[] = [];

/** Enough of an ioredis client for the adapters; every command is recorded. */
function fakeRedis(): Record<string, unknown> {
  const reply =
    <T>(name: string, value: T) =>
    (): Promise<T> => {
      redisCalls.push(name);
      return Promise.resolve(value);
    };
  const client: Record<string, unknown> = {
    status: 'ready',
    defineCommand: (name: string) => {
      client[name] = reply(name, name === 'cqCacheBump' ? [1] : 1);
    },
    mget: reply('mget', [null, null]),
    set: reply('set', 'OK'),
    unlink: reply('unlink', 1),
    incr: reply('incr', 1),
    publish: reply('publish', 1),
    subscribe: reply('subscribe', 1),
    quit: reply('quit', 'OK'),
    on: () => client,
    once: () => client,
    removeAllListeners: () => client,
    disconnect: () => undefined,
    duplicate: () => fakeRedis(),
  };
  return client;
}

const address = () => ({ scope: 'scope-1', key: 'key-1', fields: ['n'] });
const message = () => ({ origin: 'instance-1', scope: 'scope-1', keys: ['key-1'] });
const listener = () => ({ message: () => undefined, connection: () => undefined });
const storeMethods: Record<string, readonly Param[]> = {
  read: [req('address', address)],
  write: [
    req('address', address),
    text('payload', () => 'payload'),
    req('ttlMs', () => 1_000, ['number']),
    opt('expectedStamp', () => '0', ['string']),
  ],
  remove: [text('scope', () => 'scope-1'), text('key', () => 'key-1')],
  bump: [text('scope', () => 'scope-1'), req('fields', () => ['n'], ['array'])],
  acquireLock: [
    text('scope', () => 'scope-1'),
    text('key', () => 'key-1'),
    req('ttlMs', () => 1_000, ['number']),
  ],
  releaseLock: [
    text('scope', () => 'scope-1'),
    text('key', () => 'key-1'),
    text('token', () => 'token-1'),
  ],
};
const busMethods: Record<string, readonly Param[]> = {
  publish: [req('message', message)],
  subscribe: [req('listener', listener)],
};

const FUNCTIONS: Record<string, Record<string, readonly Param[]>> = {
  '@carequeue/cache': {
    // An options object naming no option is the default.
    createCacheService: [opt('options', () => ({}), ['circular'])],
    // A cycle is the codec's CacheSerializationError, typed all the same.
    encodeValue: [
      req('value', () => 1, ['null', 'undefined', 'number', 'string', 'array', 'circular']),
    ],
    decodeValue: [
      req('text', () => entry.encodeValue({ a: 1 })),
      opt('options', () => ({ frozen: true }), ['circular']),
    ],
    memoryCacheStore: [opt('options', () => ({}), ['circular'])],
    memoryCacheBus: [],
    cached: [
      req('fn', () => (id: string) => Promise.resolve(id)),
      req('options', () => ({
        cache: entry.createCacheService({ tenant: () => 't1' }),
        namespace: 'clinic-settings',
        key: (id: string) => id,
      })),
    ],
    createCacheDecorators: [req('cache', () => entry.createCacheService())],
    observeCacheMetrics: [
      req('stats', () => () => ({ l1: { entries: 0, bytes: 0 }, namespaces: {} })),
      req('meter', () => ({
        createObservableCounter: () => ({ addCallback: () => undefined }),
        createObservableGauge: () => ({ addCallback: () => undefined }),
        addBatchObservableCallback: () => undefined,
        removeBatchObservableCallback: () => undefined,
      })),
    ],
  },
  '@carequeue/cache/redis': {
    redisCacheStore: [req('options', () => ({ client: fakeRedis() }))],
    redisCacheBus: [req('options', () => ({ client: fakeRedis() }))],
  },
  '@carequeue/cache/testing': {
    cacheStoreContract: [
      req('options', () => ({
        name: 'noop',
        create: () => entry.memoryCacheStore(),
        describe: () => undefined,
        it: () => undefined,
        expect: () => ({}),
      })),
    ],
  },
};

const METHODS: Record<string, { make: () => unknown; methods: Record<string, readonly Param[]> }> =
  {
    memoryCacheStore: { make: () => entry.memoryCacheStore(), methods: storeMethods },
    redisCacheStore: {
      make: () => redisEntry.redisCacheStore({ client: fakeRedis() as never }),
      methods: storeMethods,
    },
    memoryCacheBus: {
      make: () => entry.memoryCacheBus(),
      methods: { ...busMethods, disconnect: [], reconnect: [] },
    },
    redisCacheBus: {
      make: () => redisEntry.redisCacheBus({ client: fakeRedis() as never }),
      methods: { ...busMethods, close: [] },
    },
  };

const ENTRIES: Record<string, Record<string, unknown>> = {
  '@carequeue/cache': entry,
  '@carequeue/cache/redis': redisEntry,
  '@carequeue/cache/testing': testingEntry,
};

function exportedFunctions(module: Record<string, unknown>): string[] {
  return Object.entries(module)
    .filter(
      ([name, value]) =>
        typeof value === 'function' &&
        name !== 'isCarequeueError' &&
        !Function.prototype.toString.call(value).startsWith('class'),
    )
    .map(([name]) => name)
    .sort();
}

async function failureOf(run: () => unknown): Promise<unknown> {
  try {
    await run();
    return undefined;
  } catch (error: unknown) {
    return error;
  }
}

type Call = (...args: unknown[]) => unknown;

/** `build` returns the function to call, built before Redis calls are recorded. */
async function checkCalls(
  label: string,
  build: () => Call | Promise<Call>,
  params: readonly Param[],
): Promise<number> {
  const validArgs = (): unknown[] => params.map((param) => param.valid());
  const validTarget = await build();
  const sane = await failureOf(() => validTarget(...validArgs()));
  expect.soft(sane, `${label} with valid arguments`).toBeUndefined();
  let refused = 0;
  for (const [position, param] of params.entries()) {
    for (const [badName, bad] of Object.entries(BAD) as [BadName, unknown][]) {
      const args = validArgs();
      args[position] = bad;
      const call = `${label}(${param.name} = ${badName})`;
      const target = await build();
      redisCalls.length = 0;
      const error = await failureOf(() => target(...args));
      if (error !== undefined) {
        const raw = error instanceof Error ? `${error.name}: ${error.message}` : typeof error;
        expect.soft(isCarequeueError(error), `${call} threw a raw ${raw}`).toBe(true);
        expect.soft((error as Error).message, call).not.toContain(MARKER);
      }
      if (param.accepts.includes(badName)) continue;
      expect.soft(isCarequeueError(error), `${call} was accepted`).toBe(true);
      if (error instanceof CacheArgumentError) {
        expect.soft(error.argument, call).toMatch(new RegExp(`^${param.name}(\\.|$)`));
      }
      expect.soft(redisCalls, `${call} reached Redis before it was refused`).toEqual([]);
      refused += 1;
    }
  }
  return refused;
}

describe('the public API of @carequeue/cache', () => {
  it('has an argument fixture for every exported function of every entry point', () => {
    for (const [name, module] of Object.entries(ENTRIES)) {
      expect(exportedFunctions(module), name).toEqual(Object.keys(FUNCTIONS[name] ?? {}).sort());
    }
  });

  it('refuses null, undefined, wrong types and circular objects in every argument of every exported function with a typed error naming it (raw TypeErrors before)', async () => {
    let refused = 0;
    for (const [entryName, fixtures] of Object.entries(FUNCTIONS)) {
      for (const [name, params] of Object.entries(fixtures)) {
        const target = ENTRIES[entryName]?.[name] as Call;
        refused += await checkCalls(name, () => target, params);
      }
    }
    expect(refused).toBeGreaterThan(30);
  });

  it('refuses hostile arguments in every method of the stores and buses, before Redis is called (raw TypeErrors before)', async () => {
    let refused = 0;
    for (const [factory, { make, methods }] of Object.entries(METHODS)) {
      const instance = (await make()) as Record<string, unknown>;
      const own = Object.keys(instance).filter((key) => typeof instance[key] === 'function');
      expect(own.sort(), factory).toEqual(Object.keys(methods).sort());
      for (const [method, params] of Object.entries(methods)) {
        const build = async (): Promise<Call> => {
          const built = (await make()) as Record<string, Call>;
          return (...args) => built[method]?.(...args);
        };
        refused += await checkCalls(`${factory}().${method}`, build, params);
      }
    }
    expect(refused).toBeGreaterThan(80);
  });
});
