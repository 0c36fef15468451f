import { describe, expect, it } from 'vitest';
import { CacheConfigError } from '../errors.js';
import { redisCacheBus, redisCacheStore } from '../redis/index.js';
import { memoryCacheStore } from './memory-store.js';

// The options of the store and bus factories are configuration: a malformed one is refused with
// a CacheConfigError naming the option, before the client is used. They were a CacheArgumentError
// (a 500 that was not a configuration error), and `keyPrefix` and `channel` were checked only for
// being non-empty strings after the client check.

const secret = 'patient-4711';

/** Enough of an ioredis client for the adapters' checks; every call is recorded. */
function recordingClient(calls: string[]): Record<string, unknown> {
  const record = (name: string) => (): void => {
    calls.push(name);
  };
  return Object.fromEntries(
    ['defineCommand', 'mget', 'set', 'incr', 'unlink', 'duplicate', 'publish'].map((name) => [
      name,
      record(name),
    ]),
  );
}

async function refusalOf(build: () => unknown): Promise<unknown> {
  try {
    await build();
  } catch (error: unknown) {
    return error;
  }
  throw new Error('expected the factory to refuse its options');
}

describe('store and bus factory options', () => {
  it('are refused with a CacheConfigError naming the option, never its value, before the client is used', async () => {
    const calls: string[] = [];
    const client = recordingClient(calls);
    const { mget: _mget, ...withoutMget } = client;
    const { publish: _publish, ...withoutPublish } = client;
    const cases: [string, () => unknown][] = [
      ['options', () => memoryCacheStore(null as never)],
      ['options', () => memoryCacheStore(secret as never)],
      ['clock', () => memoryCacheStore({ clock: { now: secret } as never })],
      ['options', () => redisCacheStore(null as never)],
      ['client', () => redisCacheStore({ client: secret as never })],
      ['client', () => redisCacheStore({ client: withoutMget as never })],
      ['keyPrefix', () => redisCacheStore({ client: client as never, keyPrefix: '' })],
      ['keyPrefix', () => redisCacheStore({ client: client as never, keyPrefix: 5 as never })],
      ['keyPrefix', () => redisCacheStore({ client: client as never, keyPrefix: `${secret}{}` })],
      ['options', () => redisCacheBus([secret] as never)],
      ['client', () => redisCacheBus({ client: withoutPublish as never })],
      ['channel', () => redisCacheBus({ client: client as never, channel: '' })],
      ['channel', () => redisCacheBus({ client: client as never, channel: {} as never })],
    ];
    for (const [option, build] of cases) {
      const error = await refusalOf(build);
      expect(error, option).toBeInstanceOf(CacheConfigError);
      expect(error).toMatchObject({ code: 'CACHE_CONFIG_INVALID' });
      expect((error as Error).message).toContain(`\`${option}\``);
      expect((error as Error).message).not.toContain(secret);
    }
    expect(calls).toEqual([]);
  });

  it('accept a client with the methods the adapter calls and a prefix without braces', () => {
    const calls: string[] = [];
    expect(() =>
      redisCacheStore({ client: recordingClient(calls) as never, keyPrefix: 'cq:c:app:' }),
    ).not.toThrow();
    expect(calls).toContain('defineCommand');
    expect(() => memoryCacheStore({})).not.toThrow();
  });
});
