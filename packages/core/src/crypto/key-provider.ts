import { createSecretKey, type KeyObject } from 'node:crypto';
import { EncryptionKeyConfigError } from './errors.js';

/** Length in bytes of an AES-256 key and of the minimum blind-index HMAC key. */
export const KEY_LENGTH_BYTES = 32;

const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const BASE64_PATTERN = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Where the field encryptor gets its master keys: the id of the key that encrypts new values and
 * every key (current and retired) that may still decrypt old ones.
 *
 * @example
 * ```ts
 * const provider: KeyProvider = keyringFromConfig({ current: 'k2', keys: { k1: b64a, k2: b64b } });
 * provider.getKey(provider.currentKeyId);
 * ```
 */
export interface KeyProvider {
  /** Id of the key that encrypts new values. */
  readonly currentKeyId: string;
  /** The key with this id, or `undefined` when the provider does not hold it. */
  getKey(keyId: string): KeyObject | undefined;
}

/**
 * Configuration of a {@link keyringFromConfig} keyring: base64 keys by id and the id of the
 * current one.
 *
 * @example
 * ```ts
 * const config: KeyringConfig = { current: 'k2', keys: { k1: process.env.K1!, k2: process.env.K2! } };
 * ```
 */
export interface KeyringConfig {
  /** Id of the key that encrypts new values. Must be a key of `keys`. */
  readonly current: string;
  /** 32-byte keys, base64 encoded, by key id (letters, digits, `_` and `-`, at most 64). */
  readonly keys: Readonly<Record<string, string>>;
}

/**
 * Decodes a base64 secret and checks its length, naming the setting (never the value) on failure.
 *
 * @throws {@link EncryptionKeyConfigError} when the key is missing (not a string), is not base64,
 * or decodes to too few bytes.
 * @example
 * ```ts
 * const key = secretKeyFromBase64(process.env.BLIND_INDEX_KEY!, 'blind index key');
 * ```
 */
export function secretKeyFromBase64(
  base64: string,
  label: string,
  { exactLength = true }: { exactLength?: boolean } = {},
): KeyObject {
  // An unset environment variable arrives as undefined; say so instead of failing on .trim().
  if (typeof base64 !== 'string') {
    throw new EncryptionKeyConfigError(
      `The ${label} is missing. Set it to base64 text; generate one with: openssl rand -base64 32`,
    );
  }
  const text = base64.trim();
  if (!BASE64_PATTERN.test(text)) {
    throw new EncryptionKeyConfigError(
      `The ${label} is not valid base64. Generate one with: openssl rand -base64 32`,
    );
  }
  const bytes = Buffer.from(text, 'base64');
  const lengthOk = exactLength
    ? bytes.length === KEY_LENGTH_BYTES
    : bytes.length >= KEY_LENGTH_BYTES;
  if (!lengthOk) {
    throw new EncryptionKeyConfigError(
      `The ${label} decodes to ${bytes.length} bytes; ${exactLength ? 'exactly' : 'at least'} ${KEY_LENGTH_BYTES} are required. Generate one with: openssl rand -base64 32`,
    );
  }
  return createSecretKey(bytes);
}

/**
 * Builds a {@link KeyProvider} from configuration, validating every key id and key length.
 *
 * @throws {@link EncryptionKeyConfigError} when `keys` is missing, a key id is invalid, a key is
 * missing or not 32 bytes of base64, or `current` names no key.
 * @example
 * ```ts
 * const keys = keyringFromConfig({
 *   current: 'k2',
 *   keys: { k1: process.env.FIELD_KEY_K1!, k2: process.env.FIELD_KEY_K2! },
 * });
 * ```
 */
export function keyringFromConfig(config: KeyringConfig): KeyProvider {
  // Configuration is read from untyped sources, so a missing object is reported, not dereferenced.
  const candidate: unknown = config;
  const { keys: configuredKeys, current } = (candidate ?? {}) as Partial<KeyringConfig>;
  if (typeof configuredKeys !== 'object' || configuredKeys === null) {
    throw new EncryptionKeyConfigError(
      'The keyring configuration has no keys. Pass { current, keys: { <keyId>: <base64 key> } }.',
    );
  }
  const keys = new Map<string, KeyObject>();
  for (const [keyId, base64] of Object.entries(configuredKeys)) {
    if (!KEY_ID_PATTERN.test(keyId)) {
      throw new EncryptionKeyConfigError(
        'A key id is invalid. Use 1 to 64 letters, digits, "_" or "-".',
      );
    }
    keys.set(keyId, secretKeyFromBase64(base64, `key "${keyId}"`));
  }
  if (typeof current !== 'string' || !keys.has(current)) {
    throw new EncryptionKeyConfigError(
      'The current key id names no key of the keyring. Add the key to keys or fix current.',
    );
  }
  return {
    currentKeyId: current,
    getKey: (keyId) => keys.get(keyId),
  };
}
