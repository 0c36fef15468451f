/**
 * Deep redaction of log fields: PHI-tagged field names from the model schemas, and credentials
 * (tokens, passwords, secrets, cookies, authorization headers), at any depth, inside arrays,
 * maps, sets and error cause chains.
 *
 * @packageDocumentation
 */
import type { z } from 'zod';
import { modelSchemas } from '../model/index.js';
import { taggedFieldNames } from '../phi.js';
import { checkedRedactorOptions } from './redactor-options.js';
import { REDACTED, serializeError, type SerializeErrorOptions } from './serialize-error.js';

const MAX_DEPTH = 12;

/**
 * Fragments that mark a field as a credential wherever they appear in its name
 * (`accessToken`, `x-api-key`, `Set-Cookie`, `client_secret`).
 */
const CREDENTIAL_FRAGMENTS = [
  'password',
  'passwd',
  'passphrase',
  'secret',
  'token',
  'cookie',
  'authorization',
  'apikey',
  'privatekey',
  'credential',
  'sessionid',
  'signature',
];

/** Common PHI field names beyond the model's own, as found in host payloads and headers. */
const COMMON_PHI_NAMES = [
  'ssn',
  'dob',
  'birthdate',
  'firstname',
  'lastname',
  'fullname',
  'patientname',
  'phonenumber',
  'mobile',
  'emailaddress',
  'streetaddress',
  'postaladdress',
];

/** Options of {@link createRedactor}. */
export interface RedactorOptions extends SerializeErrorOptions {
  /** More schemas whose PHI-tagged field names are redacted, besides the model's. */
  readonly schemas?: Iterable<z.core.$ZodType>;
  /** More field names to redact, compared case-insensitively and ignoring `-` and `_`. */
  readonly redactKeys?: Iterable<string>;
}

function normalize(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * Builds a function that returns a redacted deep copy of a value: tagged and credential fields
 * become `[REDACTED]`, errors are serialized safely, cycles become `[Circular]` and nesting
 * deeper than 12 levels becomes `[Truncated]`.
 *
 * @example
 * ```ts
 * const redact = createRedactor();
 * redact({ patient: { givenName: 'Ada' }, headers: { authorization: 'Bearer x' } });
 * // { patient: { givenName: '[REDACTED]' }, headers: { authorization: '[REDACTED]' } }
 * ```
 * @throws `ValidationError` naming the option when `options` is not an object, `schemas` is not
 * an iterable of zod schemas, `redactKeys` not an iterable of strings, or
 * `includeForeignErrorMessages` not a boolean.
 */
export function createRedactor(options: RedactorOptions = {}): (value: unknown) => unknown {
  const checked = checkedRedactorOptions('createRedactor', options);
  const exactNames = new Set(COMMON_PHI_NAMES);
  const schemaNames = taggedFieldNames([...Object.values(modelSchemas), ...checked.schemas]);
  for (const name of schemaNames) exactNames.add(normalize(name));
  for (const name of checked.redactKeys) exactNames.add(normalize(name));

  const isSensitiveKey = (key: string): boolean => {
    const normalized = normalize(key);
    return (
      exactNames.has(normalized) ||
      CREDENTIAL_FRAGMENTS.some((fragment) => normalized.includes(fragment))
    );
  };

  const visit = (value: unknown, depth: number, ancestors: WeakSet<object>): unknown => {
    if (value === null || value === undefined) return value;
    switch (typeof value) {
      case 'string':
      case 'number':
      case 'boolean':
        return value;
      case 'bigint':
        return value.toString();
      case 'symbol':
        return value.toString();
      case 'function':
        return undefined;
    }
    const object = value;
    if (ancestors.has(object)) return '[Circular]';
    if (depth >= MAX_DEPTH) return '[Truncated]';
    if (object instanceof Date) return Number.isNaN(object.getTime()) ? null : object.toISOString();
    if (ArrayBuffer.isView(object)) return `[Binary ${object.byteLength} bytes]`;
    ancestors.add(object);
    try {
      const nested = (inner: unknown): unknown => visit(inner, depth + 1, ancestors);
      if (object instanceof Error) return serializeError(object, nested, options);
      if (Array.isArray(object)) return object.map(nested);
      if (object instanceof Set) return [...object].map(nested);
      const entries: [unknown, unknown][] =
        object instanceof Map ? [...object.entries()] : Object.entries(object);
      const out: Record<string, unknown> = {};
      for (const [rawKey, inner] of entries) {
        const key = String(rawKey);
        out[key] = isSensitiveKey(key) ? REDACTED : nested(inner);
      }
      return out;
    } finally {
      ancestors.delete(object);
    }
  };

  return (value) => visit(value, 0, new WeakSet());
}
