import { randomBytes } from 'node:crypto';
import {
  createFieldEncryptor,
  memorySubjectKeyStore,
  keyringFromConfig,
} from '@carequeue/core/crypto';
import { describe, expect, it } from 'vitest';
import { resolvedKeyFor } from './test-keys.js';
import { envelopeValue } from './value-envelope.js';
import { createValueSealing } from './value-sealing.js';

const encryptor = createFieldEncryptor({
  keys: keyringFromConfig({ current: 'k1', keys: { k1: randomBytes(32).toString('base64') } }),
  subjectKeys: memorySubjectKeyStore(),
});
const sensitive = resolvedKeyFor('scope-1', 'key-1', { ttlMs: 1_000, sensitive: true });
const envelope = envelopeValue({ phone: '+15555550100' }, 0, 1_000, 0).envelope;

describe('createValueSealing', () => {
  it('seals sensitive values so that they open only under the key they were sealed for', async () => {
    const sealing = createValueSealing(encryptor);
    const sealed = await sealing.seal(sensitive, envelope, undefined);
    expect(sealed).not.toContain('+15555550100');
    expect(await sealing.open(sensitive, sealed ?? '', undefined)).toMatchObject({
      value: { phone: '+15555550100' },
    });
    const elsewhere = resolvedKeyFor('scope-1', 'key-2', sensitive.policy);
    expect(await sealing.open(elsewhere, sealed ?? '', undefined)).toBeUndefined();
    expect(elsewhere.counters.errors).toBe(1);
  });

  it('leaves values of other namespaces, or all values without an encryptor, as they are and opens them synchronously', async () => {
    const plain = resolvedKeyFor('scope-1', 'key-1');
    expect(await createValueSealing(encryptor).seal(plain, envelope, undefined)).toBe(envelope);
    expect(await createValueSealing(undefined).seal(sensitive, envelope, undefined)).toBe(envelope);
    const opened = createValueSealing(undefined).open(sensitive, envelope, undefined);
    expect(opened).not.toBeInstanceOf(Promise);
    expect(opened).toMatchObject({ value: { phone: '+15555550100' } });
  });

  it('stores nothing for a subject without a data key, and counts a payload that does not decode as a miss', async () => {
    const sealing = createValueSealing(encryptor);
    expect(await sealing.seal(sensitive, envelope, 'pat_never_keyed')).toBeUndefined();
    const plain = resolvedKeyFor('scope-1', 'key-1');
    expect(sealing.open(plain, '1|2|damaged', undefined)).toBeUndefined();
    expect(plain.counters.errors).toBe(1);
  });
});
