import { randomBytes } from 'node:crypto';
import { createFakeClock } from '@carequeue/core';
import {
  createFieldEncryptor,
  memorySubjectKeyStore,
  keyringFromConfig,
} from '@carequeue/core/crypto';
import { describe, expect, it } from 'vitest';
import { memoryCacheBus } from './adapters/memory-bus.js';
import { memoryCacheStore } from './adapters/memory-store.js';
import type { CacheStore } from './cache-store.js';
import { createCacheService } from './cache-service.js';
import { CacheArgumentError } from './errors.js';

const TENANT = '0195f0a4-1111-7000-8000-000000000001';
const SECRET = 'test-secret-test-secret-test-secret';
const PATIENT = 'pat_0195f0a4-3333-7000-8000-000000000003';
const KEY = `patient-profiles:${PATIENT}`;
const PROFILE = { givenName: 'Ada', phone: '+15555550100' };

/** Two instances over one store and one bus; the store is shared (sealed) when asked. */
function instances(shared: boolean) {
  const clock = createFakeClock();
  const subjectKeys = memorySubjectKeyStore();
  const encryptor = createFieldEncryptor({
    keys: keyringFromConfig({ current: 'k1', keys: { k1: randomBytes(32).toString('base64') } }),
    subjectKeys,
  });
  const inner = memoryCacheStore({ clock });
  const payloads: string[] = [];
  const store: CacheStore = {
    ...inner,
    shared,
    write: (address, payload, ttlMs, stamp) => {
      payloads.push(payload);
      return inner.write(address, payload, ttlMs, stamp);
    },
  };
  const bus = memoryCacheBus();
  const options = { clock, store, bus, encryptor, keySecret: SECRET, tenant: () => TENANT };
  return {
    a: createCacheService(options),
    b: createCacheService(options),
    encryptor,
    subjectKeys,
    payloads,
  };
}

/** A factory the test lets answer when it chooses. */
function pausedFactory<T>(value: T) {
  let release: () => void = () => undefined;
  let started: () => void = () => undefined;
  const running = new Promise<void>((resolve) => (started = resolve));
  const gate = new Promise<void>((resolve) => (release = resolve));
  return {
    factory: async () => {
      started();
      await gate;
      return value;
    },
    running,
    release: () => release(),
  };
}

describe('CacheService.eraseSubject', () => {
  it('refuses the write of a getOrSet that read the store before the erasure, on every instance', async () => {
    for (const shared of [false, true]) {
      const { a, b, encryptor } = instances(shared);
      // The subject has a data key, as a registered patient does.
      await encryptor.encrypt('x', { table: 't', column: 'c', rowId: PATIENT, subjectId: PATIENT });
      const read = pausedFactory(PROFILE);
      const racing = a.getOrSet(KEY, read.factory, { subject: PATIENT });
      await read.running;
      await b.eraseSubject(PATIENT);
      read.release();
      // The racing read answers what it read; the cache keeps none of it.
      expect(await racing).toEqual(PROFILE);
      expect(await a.get(KEY, { subject: PATIENT })).toBeUndefined();
      expect(await b.get(KEY, { subject: PATIENT })).toBeUndefined();
      a.close();
      b.close();
    }
  });

  it('drops L1 copies of the subject on other instances when erased, and leaves other subjects alone', async () => {
    const { a, b } = instances(false);
    const other = 'patient-profiles:pat_other';
    await a.getOrSet(KEY, () => PROFILE, { subject: PATIENT });
    await a.getOrSet(other, () => PROFILE, { subject: 'pat_other' });
    expect(await b.get(KEY, { subject: PATIENT })).toEqual(PROFILE);
    expect(a.stats().l1.entries).toBe(2);
    await b.eraseSubject(PATIENT);
    expect(a.stats().l1.entries).toBe(1);
    expect(await a.get(KEY)).toBeUndefined();
    expect(await b.get(KEY)).toBeUndefined();
    expect(await a.get(other)).toEqual(PROFILE);
  });

  it('does not hand a call made after the erasure the result of a load that began before it', async () => {
    const { a } = instances(false);
    const before = pausedFactory(PROFILE);
    const racing = a.getOrSet(KEY, before.factory, { subject: PATIENT });
    await before.running;
    await a.eraseSubject(PATIENT);
    const after = a.getOrSet(KEY, () => ({ givenName: 'Erased' }), { subject: PATIENT });
    before.release();
    expect(await racing).toEqual(PROFILE);
    expect(await after).toEqual({ givenName: 'Erased' });
  });

  it('refuses a subject that is not a string of 1 to 256 characters without touching the store', async () => {
    const { a, payloads } = instances(false);
    for (const subject of ['', 'x'.repeat(257), 42, null]) {
      await expect(a.eraseSubject(subject as string)).rejects.toBeInstanceOf(CacheArgumentError);
      await expect(a.set(KEY, PROFILE, { subject: subject as string })).rejects.toMatchObject({
        argument: 'options.subject',
      });
    }
    expect(payloads).toEqual([]);
  });
});

describe('CacheService sealing under the subject key', () => {
  it('reads a shredded subject value as a miss, never an error, and caches nothing of the subject afterwards', async () => {
    const { a, b, encryptor, subjectKeys, payloads } = instances(true);
    await encryptor.encrypt('x', { table: 't', column: 'c', rowId: PATIENT, subjectId: PATIENT });
    await a.set(KEY, PROFILE, { subject: PATIENT });
    expect(payloads[0]).toMatch(/^cq1\.s\./);
    expect(JSON.stringify(payloads)).not.toContain('Ada');
    await encryptor.shredSubject(PATIENT);
    await expect(b.get(KEY, { subject: PATIENT })).resolves.toBeUndefined();
    expect(b.stats().namespaces['patient-profiles']).toMatchObject({ misses: 1, errors: 0 });
    // A late copy is neither stored nor given a new key.
    await b.set(KEY, PROFILE, { subject: PATIENT });
    expect(await b.getOrSet(KEY, () => PROFILE, { subject: PATIENT })).toEqual(PROFILE);
    expect(payloads).toHaveLength(1);
    expect(await subjectKeys.get(PATIENT)).toBeUndefined();
    expect(b.stats().l1.entries).toBe(0);
  });

  it('reads a value sealed under a subject as a miss when read without the subject', async () => {
    const { a, b, encryptor } = instances(true);
    await encryptor.encrypt('x', { table: 't', column: 'c', rowId: PATIENT, subjectId: PATIENT });
    await a.set(KEY, PROFILE, { subject: PATIENT });
    await expect(b.get(KEY)).resolves.toBeUndefined();
  });

  it('keeps plaintext in L1, seals only the shared tier, and reads it back with the subject', async () => {
    const { a, b, encryptor, payloads } = instances(true);
    await encryptor.encrypt('x', { table: 't', column: 'c', rowId: PATIENT, subjectId: PATIENT });
    await a.set(KEY, PROFILE, { subject: PATIENT });
    expect(await a.get(KEY)).toEqual(PROFILE);
    expect(a.stats().namespaces['patient-profiles']).toMatchObject({ l1Hits: 1 });
    expect(payloads[0]).toMatch(/^cq1\.s\./);
    expect(await b.get(KEY, { subject: PATIENT })).toEqual(PROFILE);
    expect(b.stats().namespaces['patient-profiles']).toMatchObject({ l2Hits: 1 });
  });
});
