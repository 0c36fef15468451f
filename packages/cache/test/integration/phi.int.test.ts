import { Patient, taggedPaths } from '@carequeue/core';
import { deleteKeysWithPrefix, requireRedis, useTestRedis } from '@carequeue/test-harness';
import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { startInstances, type Instances } from './instances.js';

const redis = await requireRedis();

function samplePatient(i: number) {
  return {
    id: `0195f0a4-3333-7000-8000-00000000000${i}`,
    givenName: `Marguerite${i}`,
    familyName: `Okonkwo-Lindqvist${i}`,
    dateOfBirth: `1961-04-1${i}`,
    contact: { phone: `+1415555010${i}`, email: `marguerite${i}@example.org` },
    address: {
      line1: `${i}2 Juniper Terrace`,
      city: 'Fairhaven',
      postalCode: `9410${i}`,
      country: 'US',
    },
    medicalRecordNumber: `MRN-88${i}7731`,
    nationalId: `123-45-678${i}`,
    notes: `Allergic to penicillin, case ${i}`,
    createdAt: new Date(0),
  };
}

function stringLeaves(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value !== null && typeof value === 'object')
    return Object.values(value).flatMap(stringLeaves);
  return [];
}

function identifiersOf(patient: Record<string, unknown>): string[] {
  return taggedPaths(Patient).flatMap(({ keys }) => {
    let value: unknown = patient;
    for (const key of keys) value = (value as Record<string, unknown> | undefined)?.[key];
    return stringLeaves(value);
  });
}

async function dumpPrefix(client: Redis, prefix: string): Promise<string> {
  const parts: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    for (const key of keys) {
      parts.push(key);
      const type = await client.type(key);
      if (type === 'hash') parts.push(...Object.values(await client.hgetall(key)));
      if (type === 'string') parts.push((await client.get(key)) ?? '');
    }
  } while (cursor !== '0');
  return parts.join('\n');
}

async function valueKeys(client: Redis, prefix: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*:v:*`, 'COUNT', 1000);
    cursor = next;
    found.push(...keys);
  } while (cursor !== '0');
  return found;
}

describe.skipIf(!redis.available)('PHI safety in Redis', () => {
  const keys = useTestRedis();
  let instances: Instances | undefined;
  afterEach(async () => {
    await instances?.close();
    instances = undefined;
    await deleteKeysWithPrefix(keys.client(), keys.prefix);
  });

  it('keeps every tagged identifier out of Redis keys, values and bus messages when profiles are cached', async () => {
    instances = await startInstances(keys, 2);
    const [a, b] = instances.caches;
    const listener = keys.client();
    const messages: string[] = [];
    listener.on('message', (_channel: string, text: string) => messages.push(text));
    await listener.subscribe(instances.channel);
    const patients = [1, 2, 3].map(samplePatient);
    for (const patient of patients) {
      const key = `patient-profiles:${patient.id}:${patient.medicalRecordNumber}`;
      expect(
        await a!.getOrSet(key, () => patient, { tags: [`mrn:${patient.medicalRecordNumber}`] }),
      ).toEqual(patient);
      expect(await b!.get(key)).toEqual(patient);
      await a!.invalidateTags([`mrn:${patient.medicalRecordNumber}`]);
      await a!.set(key, patient);
      await a!.delete(key);
      await a!.set(key, patient);
    }
    // Very short values (a country code) occur by chance in base64 ciphertext and hashes.
    const identifiers = patients.flatMap(identifiersOf).filter((value) => value.length >= 6);
    expect(identifiers.length).toBeGreaterThanOrEqual(30);
    const dump = await dumpPrefix(keys.client(), keys.prefix);
    expect(dump.length).toBeGreaterThan(0);
    expect(messages.length).toBeGreaterThan(0);
    for (const identifier of identifiers) {
      expect(dump).not.toContain(identifier);
      expect(messages.join('\n')).not.toContain(identifier);
    }
  });

  it('treats a sensitive value as a miss when one byte of it is flipped in Redis', async () => {
    instances = await startInstances(keys, 1);
    const [cache] = instances.caches;
    const patient = samplePatient(4);
    await cache!.set(`patient-profiles:${patient.id}`, patient);
    const client = keys.client();
    const [valueKey] = await valueKeys(client, keys.prefix);
    const control = samplePatient(7);
    await cache!.set(`patient-profiles:${control.id}`, control);
    // The stored string ends with the ciphertext, so a byte near its end is a ciphertext byte.
    const stored = (await client.get(valueKey!))!;
    const at = stored.length - 5;
    const flipped = stored.slice(0, at) + (stored[at] === 'A' ? 'B' : 'A') + stored.slice(at + 1);
    await client.set(valueKey!, flipped, 'KEEPTTL');
    instances.caches.forEach((c) => c.close());
    const fresh = await startInstances(keys, 1);
    try {
      let calls = 0;
      const value = await fresh.caches[0]!.getOrSet(`patient-profiles:${patient.id}`, () => {
        calls += 1;
        return { reloaded: true };
      });
      expect(value).toEqual({ reloaded: true });
      expect(calls).toBe(1);
      expect(await fresh.caches[0]!.get(`patient-profiles:${control.id}`)).toEqual(control);
      expect(fresh.caches[0]!.stats().namespaces['patient-profiles']).toMatchObject({
        errors: 1,
        l2Hits: 1,
      });
    } finally {
      await fresh.close();
    }
  });

  it('treats a sensitive value as a miss when it is copied under another key', async () => {
    instances = await startInstances(keys, 1);
    const [writer] = instances.caches;
    const first = samplePatient(5);
    const second = samplePatient(6);
    await writer!.set(`patient-profiles:${first.id}`, first);
    await writer!.set(`patient-profiles:${second.id}`, second);
    const client = keys.client();
    const [one, two] = await valueKeys(client, keys.prefix);
    // Both values depend on the same generations, so the whole stored string is valid under
    // either key; only the key bound into the ciphertext tells them apart.
    await client.set(two!, (await client.get(one!))!, 'KEEPTTL');
    const reader = await startInstances(keys, 1);
    try {
      const seen = await Promise.all([
        reader.caches[0]!.get(`patient-profiles:${first.id}`),
        reader.caches[0]!.get(`patient-profiles:${second.id}`),
      ]);
      expect(seen.filter((value) => value === undefined)).toHaveLength(1);
      expect(reader.caches[0]!.stats().namespaces['patient-profiles']?.errors).toBe(1);
    } finally {
      await reader.close();
    }
  });
});
