import { createSecretKey, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { createFakeClock, ValidationError } from '@carequeue/core';
import { describe, expect, it } from 'vitest';
import { memoryAuditStore } from './adapters/memory.js';
import { createCheckpoint, openCheckpoint } from './checkpoint.js';
import { AuditCheckpointInvalidError } from './errors.js';
import { sampleAuditEvent } from './testing/sample-event.js';

const keys = generateKeyPairSync('ed25519');

async function sealedStore(tenantId: string, count: number) {
  const store = memoryAuditStore();
  await store.append(Array.from({ length: count }, () => sampleAuditEvent({ tenantId })));
  await store.seal(tenantId);
  return store;
}

describe('audit checkpoints', () => {
  it('signs the chain head and lets verify start after it when opened', async () => {
    const tenantId = randomUUID();
    const store = await sealedStore(tenantId, 4);
    const checkpoint = await createCheckpoint(store, tenantId, keys.privateKey, createFakeClock(0));
    expect(checkpoint).toMatchObject({
      tenantId,
      sequence: 4,
      signedAt: '1970-01-01T00:00:00.000Z',
    });
    const exported: unknown = JSON.parse(JSON.stringify(checkpoint));
    const position = openCheckpoint(exported as typeof checkpoint, keys.publicKey, tenantId);
    await store.append([sampleAuditEvent({ tenantId }), sampleAuditEvent({ tenantId })]);
    await store.seal(tenantId);
    expect(await store.verify(tenantId, { start: position })).toMatchObject({
      ok: true,
      checked: 2,
    });
    expect(await store.verify(tenantId, { expectedEnd: position.sequence })).toMatchObject({
      ok: true,
      checked: 6,
    });
  });

  it('detects a rewritten chain when verify starts from an older checkpoint', async () => {
    const tenantId = randomUUID();
    const original = await sealedStore(tenantId, 3);
    const position = openCheckpoint(
      await createCheckpoint(original, tenantId, keys.privateKey),
      keys.publicKey,
      tenantId,
    );
    const rewritten = await sealedStore(tenantId, 5);
    const result = await rewritten.verify(tenantId, { start: position });
    expect(result).toEqual({ ok: false, checked: 0, break: { sequence: 4, kind: 'deleted' } });
  });

  it('throws AuditCheckpointInvalidError when a checkpoint was altered or the key is wrong', async () => {
    const tenantId = randomUUID();
    const checkpoint = await createCheckpoint(
      await sealedStore(tenantId, 2),
      tenantId,
      keys.privateKey,
    );
    expect(() => openCheckpoint({ ...checkpoint, sequence: 1 }, keys.publicKey, tenantId)).toThrow(
      AuditCheckpointInvalidError,
    );
    const other = generateKeyPairSync('ed25519');
    expect(() => openCheckpoint(checkpoint, other.publicKey, tenantId)).toThrow(
      AuditCheckpointInvalidError,
    );
    expect(() => openCheckpoint(checkpoint, keys.privateKey, tenantId)).not.toThrow();
  });

  // A public, secret, RSA or EC key given to sign reached node:crypto's sign after the chain head
  // was read and threw a raw TypeError (or signed a checkpoint that is not Ed25519); a clock
  // telling NaN threw a raw RangeError; a key of another kind given to verify was a 422 as if the
  // checkpoint were forged.
  it('refuses a key that is not Ed25519, or a clock telling no time, before the store is read', async () => {
    const tenantId = randomUUID();
    const sealed = await sealedStore(tenantId, 1);
    const headReads: string[] = [];
    const store = {
      ...sealed,
      head: (tenant: string) => {
        headReads.push(tenant);
        return sealed.head(tenant);
      },
    };
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const secret = createSecretKey(randomBytes(32));
    const refusalOf = async (call: () => unknown): Promise<unknown> => {
      try {
        await call();
      } catch (error: unknown) {
        return error;
      }
      return undefined;
    };
    const pathsOf = (error: unknown): string[] =>
      error instanceof ValidationError ? error.issues.map((found) => found.path) : [];
    for (const key of [keys.publicKey, secret, rsa.privateKey, ec.privateKey]) {
      const refusal = await refusalOf(() => createCheckpoint(store, tenantId, key));
      expect(pathsOf(refusal)).toEqual(['privateKey']);
    }
    const broken = { ...createFakeClock(0), now: () => Number.NaN };
    const refusal = await refusalOf(() =>
      createCheckpoint(store, tenantId, keys.privateKey, broken),
    );
    expect(pathsOf(refusal)).toEqual(['clock.now()']);
    expect(headReads).toEqual([]);
    const checkpoint = await createCheckpoint(store, tenantId, keys.privateKey);
    for (const key of [secret, rsa.publicKey, ec.publicKey]) {
      const refused = await refusalOf(() => openCheckpoint(checkpoint, key, tenantId));
      expect(pathsOf(refused)).toEqual(['publicKey']);
    }
  });

  // A checkpoint whose getter answered a UUID when checked and a number when used threw a raw
  // TypeError: each field is now read once.
  it('opens the fields it checked when a getter answers differently on a second read', () => {
    const tenantId = randomUUID();
    const reads = { count: 0 };
    const shifty = {
      version: 'cq-audit-checkpoint-v1',
      sequence: 0,
      hash: '0'.repeat(64),
      signedAt: '1970-01-01T00:00:00.000Z',
      signature: 'AAAA',
      get tenantId(): unknown {
        reads.count += 1;
        return reads.count === 1 ? tenantId : 42;
      },
    };
    expect(() => openCheckpoint(shifty as never, keys.publicKey, tenantId)).toThrow(
      AuditCheckpointInvalidError,
    );
    expect(reads.count).toBe(1);
  });

  it("another tenant's checkpoint is refused, however well signed", async () => {
    const tenantId = randomUUID();
    const otherTenant = randomUUID();
    const signedForOther = await createCheckpoint(
      await sealedStore(otherTenant, 3),
      otherTenant,
      keys.privateKey,
    );
    let refusal: unknown;
    try {
      openCheckpoint(signedForOther, keys.publicKey, tenantId);
    } catch (error: unknown) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(AuditCheckpointInvalidError);
    expect(refusal).toMatchObject({ reason: 'tenant' });
    expect((refusal as Error).message).toContain('signed for another tenant');
  });

  it("a chain rewritten and re-hashed fails verify against the tenant's own signed checkpoint", async () => {
    const tenantId = randomUUID();
    const signed = await createCheckpoint(
      await sealedStore(tenantId, 4),
      tenantId,
      keys.privateKey,
    );
    // Someone with database access replaced the events and hashed the chain again from the
    // genesis: it agrees with itself, and is as long as the signed one.
    const rewritten = await sealedStore(tenantId, 4);
    expect(await rewritten.verify(tenantId)).toMatchObject({ ok: true, checked: 4 });
    expect(await rewritten.verify(tenantId, { expectedEnd: signed.sequence })).toMatchObject({
      ok: true,
    });
    const checkpoint = openCheckpoint(signed, keys.publicKey, tenantId);
    expect(await rewritten.verify(tenantId, { checkpoint })).toEqual({
      ok: false,
      checked: 3,
      break: { sequence: 4, kind: 'rewritten' },
    });
  });

  it('verifies the chain it signed against its checkpoint, and flags a tail cut below it', async () => {
    const tenantId = randomUUID();
    const store = await sealedStore(tenantId, 4);
    const checkpoint = openCheckpoint(
      await createCheckpoint(store, tenantId, keys.privateKey),
      keys.publicKey,
      tenantId,
    );
    await store.append([sampleAuditEvent({ tenantId })]);
    await store.seal(tenantId);
    expect(await store.verify(tenantId, { checkpoint })).toMatchObject({ ok: true, checked: 5 });
    expect(
      await store.verify(tenantId, { toSequence: 3, checkpoint: { ...checkpoint, sequence: 3 } }),
    ).toEqual({
      ok: false,
      checked: 2,
      break: { sequence: 3, kind: 'rewritten' },
    });
    const shorter = await sealedStore(tenantId, 2);
    expect(await shorter.verify(tenantId, { checkpoint })).toEqual({
      ok: false,
      checked: 2,
      break: { sequence: 3, kind: 'deleted' },
    });
  });
});
