import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EncryptionKeyConfigError } from './errors.js';
import { keyringFromConfig, secretKeyFromBase64, type KeyringConfig } from './key-provider.js';

const keyOf = (bytes: number): string => randomBytes(bytes).toString('base64');

describe('keyringFromConfig', () => {
  it('returns every configured key and the current id when the config is valid', () => {
    const k1 = keyOf(32);
    const keyring = keyringFromConfig({ current: 'k2', keys: { k1, k2: keyOf(32) } });
    expect(keyring.currentKeyId).toBe('k2');
    expect(keyring.getKey('k1')?.export().toString('base64')).toBe(k1);
    expect(keyring.getKey('k3')).toBeUndefined();
  });

  it('throws naming the key id but not the value when a key has the wrong length', () => {
    const short = keyOf(16);
    const attempt = (): unknown => keyringFromConfig({ current: 'k1', keys: { k1: short } });
    expect(attempt).toThrow(EncryptionKeyConfigError);
    expect(attempt).toThrow(/key "k1" decodes to 16 bytes; exactly 32/);
    expect(attempt).not.toThrow(short);
  });

  it('throws when a key is not base64', () => {
    expect(() => keyringFromConfig({ current: 'k1', keys: { k1: 'not base64!' } })).toThrow(
      /not valid base64/,
    );
  });

  it('throws when a key id has characters that would break the envelope', () => {
    expect(() => keyringFromConfig({ current: 'k.1', keys: { 'k.1': keyOf(32) } })).toThrow(
      /key id is invalid/,
    );
  });

  it('throws when current names no configured key', () => {
    expect(() => keyringFromConfig({ current: 'k9', keys: { k1: keyOf(32) } })).toThrow(
      /current key id names no key/,
    );
  });
});

describe('secretKeyFromBase64', () => {
  it('accepts longer keys when exactLength is false', () => {
    expect(
      secretKeyFromBase64(keyOf(64), 'hmac key', { exactLength: false }).symmetricKeySize,
    ).toBe(64);
  });

  it('rejects keys shorter than 32 bytes when exactLength is false', () => {
    expect(() => secretKeyFromBase64(keyOf(31), 'hmac key', { exactLength: false })).toThrow(
      /at least 32/,
    );
  });
});

describe('secretKeyFromBase64 with a missing or malformed key', () => {
  const marker = `marker${Math.random().toString(36).slice(2)}`;

  function configErrorOf(call: () => unknown): EncryptionKeyConfigError {
    try {
      call();
    } catch (error) {
      expect(error).toBeInstanceOf(EncryptionKeyConfigError);
      return error as EncryptionKeyConfigError;
    }
    throw new Error('expected an EncryptionKeyConfigError, but the call returned');
  }

  it('throws EncryptionKeyConfigError naming the setting when secretKeyFromBase64 gets undefined (raw TypeError in secretKeyFromBase64)', () => {
    const error = configErrorOf(() =>
      secretKeyFromBase64(undefined as unknown as string, 'blind index key'),
    );
    expect(error.message).toMatch(/blind index key is missing/);
  });

  it('throws EncryptionKeyConfigError when keyringFromConfig gets null or an unset key (raw TypeError in secretKeyFromBase64)', () => {
    expect(
      configErrorOf(() => keyringFromConfig(null as unknown as KeyringConfig)).message,
    ).toMatch(/has no keys/);
    const unset = { current: 'k1', keys: { k1: undefined } } as unknown as KeyringConfig;
    expect(configErrorOf(() => keyringFromConfig(unset)).message).toMatch(/key "k1" is missing/);
  });

  it('never prints the key when secretKeyFromBase64 gets text that is not base64', () => {
    const error = configErrorOf(() => secretKeyFromBase64(`${marker}!`, 'field key'));
    expect(error.message).not.toContain(marker);
    expect(JSON.stringify(error.toProblem())).not.toContain(marker);
  });
});
