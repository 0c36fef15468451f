import { randomBytes, randomUUID } from 'node:crypto';
import {
  createFieldEncryptor,
  DecryptionFailedError,
  keyringFromConfig,
} from '@carequeue/core/crypto';
import { requireRedis, useTestRedis } from '@carequeue/test-harness';
import { describe, expect, it } from 'vitest';
import { ResilienceStoreError } from '../../src/index.js';
import { redisIdempotencyStore } from '../../src/redis/index.js';
import { runIdempotencyStoreContract } from '../../src/testing/index.js';

const redis = await requireRedis();

const encryptor = createFieldEncryptor({
  keys: keyringFromConfig({ current: 'k1', keys: { k1: randomBytes(32).toString('base64') } }),
});

describe.skipIf(!redis.available)('redisIdempotencyStore', () => {
  const keys = useTestRedis();

  runIdempotencyStoreContract({
    name: 'redisIdempotencyStore',
    create: () => redisIdempotencyStore({ client: keys.client(), encryptor, prefix: keys.prefix }),
    describe,
    it,
    expect,
  });

  async function completeBooking(key: string, response: string) {
    const client = keys.client();
    const store = redisIdempotencyStore({ client, encryptor, prefix: keys.prefix });
    const claim = await store.claim(key, 'f1', 60_000);
    if (claim.status !== 'claimed') throw new Error('the fresh key was not claimed');
    await store.complete(key, claim.token, 'f1', response, 60_000);
    return { client, store };
  }

  it('keeps no plaintext of a booking response in Redis (the Redis idempotency store kept responses in clear)', async () => {
    const patient = `Patient-${randomUUID()}`;
    const response = JSON.stringify({
      patient,
      clinic: 'Northside Family Clinic',
      startsAt: '2030-01-07T09:30:00.000Z',
    });
    const { client, store } = await completeBooking('booking', response);
    const raw = await client.get(`${keys.prefix}booking`);
    expect(raw).toEqual(expect.any(String));
    expect(raw).not.toContain(patient);
    expect(raw).not.toContain('Northside');
    expect(raw).not.toContain('2030-01-07');
    expect(await store.claim('booking', 'f1', 60_000)).toEqual({
      status: 'completed',
      fingerprint: 'f1',
      response,
    });
  });

  it('refuses a stored response when its record is copied to another key', async () => {
    const { client, store } = await completeBooking('original', '{"patient":"p_1"}');
    const raw = await client.get(`${keys.prefix}original`);
    await client.set(`${keys.prefix}copy`, raw ?? '', 'PX', 60_000);
    const failure = await store.claim('copy', 'f1', 60_000).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ResilienceStoreError);
    expect((failure as Error).cause).toBeInstanceOf(DecryptionFailedError);
  });

  it('refuses a response stored in clear instead of replaying it', async () => {
    const client = keys.client();
    await client.set(
      `${keys.prefix}clear`,
      '{"f":"f1","r":"{\\"patient\\":\\"p_1\\"}"}',
      'PX',
      60_000,
    );
    const store = redisIdempotencyStore({ client, encryptor, prefix: keys.prefix });
    const failure = await store.claim('clear', 'f1', 60_000).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ResilienceStoreError);
    expect((failure as Error).cause).toMatchObject({ reason: 'malformed' });
  });

  it('throws a prefixed store error wrapping the driver error when Redis refuses the call', async () => {
    const client = keys.client();
    await client.hset(`${keys.prefix}held`, 'f', 'x');
    const store = redisIdempotencyStore({ client, encryptor, prefix: keys.prefix });
    const failure = store.claim('held', 'f', 1000);
    await expect(failure).rejects.toBeInstanceOf(ResilienceStoreError);
    await expect(failure).rejects.toThrow(/^\[resilience:redis\]/);
    client.disconnect();
    await expect(store.complete('k', 'token', 'f', '1', 1000)).rejects.toBeInstanceOf(
      ResilienceStoreError,
    );
    await expect(store.release('k', 'token')).rejects.toBeInstanceOf(ResilienceStoreError);
  });
});
