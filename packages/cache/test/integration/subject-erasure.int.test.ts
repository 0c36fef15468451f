import { randomBytes } from 'node:crypto';
import {
  createFieldEncryptor,
  memorySubjectKeyStore,
  keyringFromConfig,
} from '@carequeue/core/crypto';
import {
  deleteKeysWithPrefix,
  requireRedis,
  useTestRedis,
  waitUntil,
} from '@carequeue/test-harness';
import { afterEach, describe, expect, it } from 'vitest';
import { startInstances, type Instances } from './instances.js';

const redis = await requireRedis();

const PATIENT = '0195f0a4-3333-7000-8000-000000000009';
const KEY = `patient-profiles:${PATIENT}`;
const PROFILE = { givenName: 'Marguerite', phone: '+14155550109', notes: 'Allergic to penicillin' };

/** An encryptor with per-subject keys, the patient's key already created (as at registration). */
async function subjectEncryptor() {
  const subjectKeys = memorySubjectKeyStore();
  const encryptor = createFieldEncryptor({
    keys: keyringFromConfig({ current: 'k1', keys: { k1: randomBytes(32).toString('base64') } }),
    subjectKeys,
  });
  await encryptor.encrypt('registered', {
    table: 'patients',
    column: 'national_id',
    rowId: PATIENT,
    subjectId: PATIENT,
  });
  return { encryptor, subjectKeys };
}

describe.skipIf(!redis.available)('subject erasure in Redis', () => {
  const keys = useTestRedis();
  let instances: Instances | undefined;
  afterEach(async () => {
    await instances?.close();
    instances = undefined;
    await deleteKeysWithPrefix(keys.client(), keys.prefix);
  });

  async function storedValues(): Promise<string[]> {
    const client = keys.client();
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await client.scan(cursor, 'MATCH', `${keys.prefix}*:v:*`);
      cursor = next;
      for (const key of batch) found.push((await client.get(key)) ?? '');
    } while (cursor !== '0');
    return found;
  }

  it('seals a subject value under the subject key, so a shredded subject reads as a miss on every instance and gets no new key', async () => {
    const { encryptor, subjectKeys } = await subjectEncryptor();
    instances = await startInstances(keys, 2, { encryptor });
    const [a, b] = instances.caches;
    await a!.set(KEY, PROFILE, { subject: PATIENT });
    const [stored] = await storedValues();
    expect(stored).toContain('cq1.s.');
    expect(stored).not.toContain('Marguerite');
    expect(await b!.get(KEY, { subject: PATIENT })).toEqual(PROFILE);

    await encryptor.shredSubject(PATIENT);
    const fresh = await startInstances(keys, 1, { encryptor });
    try {
      const [c] = fresh.caches;
      await expect(c!.get(KEY, { subject: PATIENT })).resolves.toBeUndefined();
      expect(c!.stats().namespaces['patient-profiles']).toMatchObject({ misses: 1, errors: 0 });
      await c!.set(KEY, PROFILE, { subject: PATIENT });
      expect(await subjectKeys.get(PATIENT)).toBeUndefined();
      await expect(c!.get(KEY, { subject: PATIENT })).resolves.toBeUndefined();
    } finally {
      await fresh.close();
    }
  });

  it('refuses the write of a getOrSet that read Redis before eraseSubject ran on another instance, and drops L1 copies through the bus', async () => {
    const { encryptor } = await subjectEncryptor();
    instances = await startInstances(keys, 2, { encryptor });
    const [a, b] = instances.caches;
    const other = `patient-profiles:${PATIENT}-other-copy`;
    await a!.getOrSet(other, () => PROFILE, { subject: PATIENT });
    expect(a!.stats().l1.entries).toBe(1);

    let release: () => void = () => undefined;
    let started: () => void = () => undefined;
    const running = new Promise<void>((resolve) => (started = resolve));
    const gate = new Promise<void>((resolve) => (release = resolve));
    const racing = a!.getOrSet(
      KEY,
      async () => {
        started();
        await gate;
        return PROFILE;
      },
      { subject: PATIENT },
    );
    await running;
    await b!.eraseSubject(PATIENT);
    await waitUntil(() => a!.stats().l1.entries === 0, {
      description: 'the erasure to reach the other instance',
    });
    release();
    expect(await racing).toEqual(PROFILE);
    expect(a!.stats().l1.entries).toBe(0);
    for (const cache of [a!, b!]) {
      expect(await cache.get(KEY, { subject: PATIENT })).toBeUndefined();
      expect(await cache.get(other, { subject: PATIENT })).toBeUndefined();
    }
  });
});
