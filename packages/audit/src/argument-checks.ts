/**
 * Shape checks for the arguments of the package's public functions and methods. TypeScript types
 * do not reach JavaScript callers, parsed requests or values cast from rows: without these checks
 * a `null` surfaced as a raw `TypeError`, a circular object as a stack overflow, and a value
 * Postgres refuses (a NUL byte, a tenant id that is not a UUID) as a 503 blaming the database
 * while the memory store accepted it. Each check returns the issues of one argument; the issues
 * name the argument path and the rule, never the value (values can be patient data).
 *
 * Internal: the package entry does not export this module.
 *
 * @packageDocumentation
 */
import { KeyObject } from 'node:crypto';
import { ValidationError, type ErrorIssue } from '@carequeue/core';
import { PURPOSES_OF_USE } from '@carequeue/core/context';

/**
 * The longest text an audit event field, a filter or an option may hold. Long enough for a user
 * agent or a legal basis, short enough that a stray document pasted into a field is refused.
 *
 * @example
 * ```ts
 * textIssues(action, 'action', { max: MAX_AUDIT_TEXT_LENGTH });
 * ```
 */
export const MAX_AUDIT_TEXT_LENGTH = 4_096;

/**
 * How deeply a JSON value (metadata, old and new values) may nest. Deeper values are refused
 * rather than walked, so a hostile value cannot overflow the stack.
 *
 * @example
 * ```ts
 * jsonIssues(metadata, 'metadata'); // [] up to MAX_AUDIT_JSON_DEPTH levels
 * ```
 */
export const MAX_AUDIT_JSON_DEPTH = 64;

// A UTF-16 surrogate without its partner. Postgres `jsonb` refuses one (a 503 from SQL stores
// while the memory store kept it), and the driver writes one in `text` as U+FFFD, so SQL would
// hold other text than memory (ADR 0013). It is never legitimate text.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HASH_PATTERN = /^[0-9a-f]{64}$/;
// The earliest and latest instants an audit date may be: the epoch and the end of year 9999.
const MIN_DATE_MS = 0;
const MAX_DATE_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

interface Presence {
  /** `undefined` is accepted. */
  readonly optional?: boolean;
  /** `null` is accepted. */
  readonly nullable?: boolean;
}

const none: ErrorIssue[] = [];
const issue = (path: string, message: string): ErrorIssue[] => [{ path, message }];

function absent(value: unknown, presence: Presence): boolean {
  return (
    (value === undefined && presence.optional === true) ||
    (value === null && presence.nullable === true)
  );
}

function orAbsent(message: string, presence: Presence): string {
  const alternatives = [
    ...(presence.nullable ? ['null'] : []),
    ...(presence.optional ? ['omitted'] : []),
  ];
  return alternatives.length === 0 ? message : `${message}, or ${alternatives.join(' or ')}`;
}

/**
 * Whether a value is a non-array object (a record of named fields).
 *
 * @example
 * ```ts
 * isRecord({ tenantId }); // true
 * isRecord([]); // false
 * ```
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Throws a {@link ValidationError} for `operation` when any list holds an issue. The message
 * lists each path with its rule, so it says how to fix the call without quoting a value.
 *
 * @throws {@link ValidationError} listing the issues
 * @example
 * ```ts
 * checkArguments('payloadHash', auditEventIssues(event, 'event'), hashIssues(previous, 'previousHash'));
 * ```
 */
export function checkArguments(operation: string, ...lists: readonly ErrorIssue[][]): void {
  const issues = lists.flat();
  if (issues.length === 0) return;
  const listed = issues
    .slice(0, 5)
    .map((entry) => `${entry.path} ${entry.message}`)
    .join('; ');
  throw new ValidationError(
    `The arguments of ${operation} are invalid: ${listed}${issues.length > 5 ? '; and more, see issues' : ''}.`,
    issues,
  );
}

/**
 * The issue of an argument that must be an object with named fields.
 *
 * @example
 * ```ts
 * objectIssues(options, 'options'); // [] for { tenantId }
 * ```
 */
export function objectIssues(value: unknown, path: string, presence: Presence = {}): ErrorIssue[] {
  if (absent(value, presence) || isRecord(value)) return none;
  return issue(path, orAbsent('must be an object', presence));
}

/**
 * The issue of an argument that must be text: a string of at most `max` characters without a NUL
 * (Postgres text cannot hold one), and not blank when `nonEmpty`.
 *
 * @example
 * ```ts
 * textIssues(reason, 'hold.reason', { nonEmpty: true });
 * ```
 */
export function textIssues(
  value: unknown,
  path: string,
  options: Presence & { readonly max?: number; readonly nonEmpty?: boolean } = {},
): ErrorIssue[] {
  if (absent(value, options)) return none;
  const max = options.max ?? MAX_AUDIT_TEXT_LENGTH;
  if (
    typeof value !== 'string' ||
    value.length > max ||
    value.includes('\u0000') ||
    LONE_SURROGATE.test(value) ||
    (options.nonEmpty === true && value.trim() === '')
  ) {
    const rule = `must be ${options.nonEmpty ? 'a non-blank' : 'a'} string of at most ${max} characters without NUL or unpaired surrogates`;
    return issue(path, orAbsent(rule, options));
  }
  return none;
}

/**
 * The issue of an argument that must be a UUID in text (tenant and event ids).
 *
 * @example
 * ```ts
 * uuidIssues(tenantId, 'tenantId');
 * ```
 */
export function uuidIssues(value: unknown, path: string, presence: Presence = {}): ErrorIssue[] {
  if (absent(value, presence) || (typeof value === 'string' && UUID_PATTERN.test(value))) {
    return none;
  }
  return issue(path, orAbsent('must be a UUID (8-4-4-4-12 hexadecimal digits)', presence));
}

/**
 * The issue of an argument that must be a chain hash: 64 lower-case hexadecimal digits.
 *
 * @example
 * ```ts
 * hashIssues(previousHash, 'previousHash');
 * ```
 */
export function hashIssues(value: unknown, path: string, presence: Presence = {}): ErrorIssue[] {
  if (absent(value, presence) || (typeof value === 'string' && HASH_PATTERN.test(value))) {
    return none;
  }
  return issue(path, orAbsent('must be a SHA-256 hash in 64 lower-case hex digits', presence));
}

/**
 * The issue of an argument that must be a valid `Date` from 1970 to the end of year 9999.
 *
 * @example
 * ```ts
 * dateIssues(hold.from, 'hold.from');
 * ```
 */
export function dateIssues(value: unknown, path: string, presence: Presence = {}): ErrorIssue[] {
  if (absent(value, presence)) return none;
  if (value instanceof Date) {
    const time = value.getTime();
    if (time >= MIN_DATE_MS && time <= MAX_DATE_MS) return none;
  }
  return issue(
    path,
    orAbsent('must be a valid Date from 1970-01-01 to 9999-12-31 (UTC)', presence),
  );
}

/**
 * The issue of an argument that must be an integer from `min` to `max`.
 *
 * @example
 * ```ts
 * integerIssues(limit, 'limit', { min: 1, max: 10_000, optional: true });
 * ```
 */
export function integerIssues(
  value: unknown,
  path: string,
  options: Presence & { readonly min: number; readonly max: number },
): ErrorIssue[] {
  if (absent(value, options)) return none;
  if (
    Number.isInteger(value) &&
    (value as number) >= options.min &&
    (value as number) <= options.max
  ) {
    return none;
  }
  return issue(path, orAbsent(`must be an integer from ${options.min} to ${options.max}`, options));
}

/**
 * The issue of an argument that must be `true` or `false`.
 *
 * @example
 * ```ts
 * booleanIssues(options.dryRun, 'options.dryRun', { optional: true });
 * ```
 */
export function booleanIssues(value: unknown, path: string, presence: Presence = {}): ErrorIssue[] {
  if (absent(value, presence) || typeof value === 'boolean') return none;
  return issue(path, orAbsent('must be true or false', presence));
}

/**
 * The issue of an argument that must be one of a fixed list of strings.
 *
 * @example
 * ```ts
 * oneOfIssues(order, 'order', ['asc', 'desc']);
 * ```
 */
export function oneOfIssues(
  value: unknown,
  path: string,
  allowed: readonly string[],
  presence: Presence = {},
): ErrorIssue[] {
  if (absent(value, presence) || (typeof value === 'string' && allowed.includes(value))) {
    return none;
  }
  return issue(path, orAbsent(`must be one of ${allowed.join(', ')}`, presence));
}

/**
 * The issue of an argument that must be a function.
 *
 * @example
 * ```ts
 * functionIssues(onProgress, 'onProgress', { optional: true });
 * ```
 */
export function functionIssues(
  value: unknown,
  path: string,
  presence: Presence = {},
): ErrorIssue[] {
  if (absent(value, presence) || typeof value === 'function') return none;
  return issue(path, orAbsent('must be a function', presence));
}

/**
 * The issue of an argument that must be an object with the given methods: a port such as an
 * `AuditStore`, a `SqlExecutor` or a `Clock`, named by `what` in the message.
 *
 * @example
 * ```ts
 * portIssues(store, 'store', 'an AuditStore', ['append', 'seal', 'query', 'verify', 'head']);
 * ```
 */
export function portIssues(
  value: unknown,
  path: string,
  what: string,
  methods: readonly string[],
  presence: Presence = {},
): ErrorIssue[] {
  if (absent(value, presence)) return none;
  if (
    typeof value === 'object' &&
    value !== null &&
    methods.every((method) => typeof (value as Record<string, unknown>)[method] === 'function')
  ) {
    return none;
  }
  return issue(path, orAbsent(`must be ${what} (with ${methods.join(', ')})`, presence));
}

/** The methods every `AuditStore` has. */
export const AUDIT_STORE_METHODS = ['append', 'seal', 'query', 'verify', 'head'] as const;

/**
 * The issue of an argument that must be an `AuditStore`.
 *
 * @example
 * ```ts
 * storeIssues(store, 'store');
 * ```
 */
export function storeIssues(value: unknown, path: string): ErrorIssue[] {
  return portIssues(value, path, 'an AuditStore', AUDIT_STORE_METHODS);
}

/**
 * The issue of an argument that must be a `SqlExecutor` of `@carequeue/core/sql`.
 *
 * @example
 * ```ts
 * executorIssues(executor, 'executor');
 * ```
 */
export function executorIssues(value: unknown, path: string): ErrorIssue[] {
  return portIssues(value, path, 'a SqlExecutor', SQL_EXECUTOR_METHODS);
}

const SQL_EXECUTOR_METHODS = ['query', 'exec', 'transaction', 'queryBeforeCommit'];

/**
 * The issue of an optional `Clock` argument.
 *
 * @example
 * ```ts
 * clockIssues(options.clock, 'options.clock');
 * ```
 */
export function clockIssues(value: unknown, path: string): ErrorIssue[] {
  return portIssues(value, path, 'a Clock', ['now', 'setTimeout', 'clearTimeout'], {
    optional: true,
  });
}

/**
 * The issue of an optional `FieldEncryptor` argument.
 *
 * @example
 * ```ts
 * encryptorIssues(options.encryptor, 'options.encryptor', { optional: true });
 * ```
 */
export function encryptorIssues(
  value: unknown,
  path: string,
  presence: Presence = {},
): ErrorIssue[] {
  return portIssues(
    value,
    path,
    'a FieldEncryptor',
    ['encrypt', 'decrypt', 'shredSubject'],
    presence,
  );
}

/**
 * The issue of an argument that must be an Ed25519 `KeyObject` of `node:crypto`, the only kind
 * checkpoints are signed with: a private key to sign (`'sign'`); to verify (`'verify'`), a public
 * key or the private key it belongs to. Any other key (public where a private one signs, a
 * secret key, RSA or EC) would otherwise throw a raw `TypeError` from `sign` after the chain
 * head was read, or sign a checkpoint that is not the Ed25519 one its format promises.
 *
 * @example
 * ```ts
 * signingKeyIssues(privateKey, 'privateKey', 'sign');
 * signingKeyIssues(publicKey, 'publicKey', 'verify');
 * ```
 */
export function signingKeyIssues(
  value: unknown,
  path: string,
  use: 'sign' | 'verify',
  presence: Presence = {},
): ErrorIssue[] {
  if (absent(value, presence)) return none;
  if (
    value instanceof KeyObject &&
    value.asymmetricKeyType === 'ed25519' &&
    (value.type === 'private' || (use === 'verify' && value.type === 'public'))
  ) {
    return none;
  }
  const rule =
    use === 'sign'
      ? 'must be an Ed25519 private KeyObject of node:crypto (createPrivateKey)'
      : 'must be an Ed25519 public KeyObject of node:crypto (createPublicKey)';
  return issue(path, orAbsent(rule, presence));
}

/**
 * The issue of an argument that must be an array of text.
 *
 * @example
 * ```ts
 * textListIssues(exportedFields, 'exportedFields');
 * ```
 */
export function textListIssues(
  value: unknown,
  path: string,
  presence: Presence = {},
): ErrorIssue[] {
  if (absent(value, presence)) return none;
  if (!Array.isArray(value)) return issue(path, orAbsent('must be an array of strings', presence));
  for (const [index, item] of value.entries()) {
    const found = textIssues(item, `${path}.${index}`);
    if (found.length > 0) return found;
  }
  return none;
}

// Why a string or key of a JSON value cannot be stored as jsonb, if it cannot.
function stringProblem(text: string, where: 'string' | 'key'): string | undefined {
  if (text.includes('\u0000')) return `must hold no NUL character in a ${where}`;
  if (LONE_SURROGATE.test(text)) return `must hold no unpaired surrogate in a ${where}`;
  return undefined;
}

/**
 * The issue of a value that is stored as JSON (metadata, old and new values, anything a caller
 * passes to be recorded): it must hold no cycle, nest at most {@link MAX_AUDIT_JSON_DEPTH} levels,
 * hold no NUL or unpaired surrogate in a string or key, which Postgres `jsonb` refuses, and no
 * invalid date, which has no instant to record. Other values (functions, `undefined`, valid
 * dates, big integers) are converted or dropped as `toAuditJson` documents.
 *
 * @example
 * ```ts
 * jsonIssues(metadata, 'metadata');
 * ```
 */
export function jsonIssues(value: unknown, path: string): ErrorIssue[] {
  const ancestors: object[] = [];
  function walk(current: unknown, depth: number): string | undefined {
    if (typeof current === 'string') return stringProblem(current, 'string');
    if (current instanceof Date) {
      // An invalid date has no instant to record (and its toISOString throws a RangeError).
      return Number.isNaN(current.getTime()) ? 'must hold only valid dates' : undefined;
    }
    if (typeof current !== 'object' || current === null) return undefined;
    if (ancestors.includes(current)) return 'must not contain a circular reference';
    if (depth >= MAX_AUDIT_JSON_DEPTH) return `must nest at most ${MAX_AUDIT_JSON_DEPTH} levels`;
    ancestors.push(current);
    try {
      const entries = Array.isArray(current)
        ? current.map((item: unknown) => ['', item] as const)
        : Object.entries(current);
      for (const [key, item] of entries) {
        const keyProblem = stringProblem(key, 'key');
        if (keyProblem !== undefined) return keyProblem;
        const problem = walk(item, depth + 1);
        if (problem !== undefined) return problem;
      }
      return undefined;
    } finally {
      ancestors.pop();
    }
  }
  let problem: string | undefined;
  try {
    problem = walk(value, 0);
  } catch {
    // A getter or proxy that throws while being read.
    problem = 'must be plain data whose fields can be read';
  }
  return problem === undefined ? none : issue(path, problem);
}

const CATEGORIES = ['access', 'modification', 'export', 'auth'];
const OUTCOMES = ['success', 'failure', 'denied'];
const RETENTION_CLASSES = ['standard', 'extended'];

/**
 * The issues of an argument that must be a whole `AuditEvent`: every field present with its
 * type, ids and tenant as UUIDs, enumerations within their values, text without NUL and at most
 * {@link MAX_AUDIT_TEXT_LENGTH} characters, JSON without cycles, and a timestamp from 1970 to 9999.
 *
 * @example
 * ```ts
 * checkArguments('append', auditEventIssues(event, 'events.0'));
 * ```
 */
export function auditEventIssues(value: unknown, path: string): ErrorIssue[] {
  if (!isRecord(value)) return issue(path, 'must be an audit event object');
  const event = value;
  const at = (field: string): string => `${path}.${field}`;
  return [
    ...uuidIssues(event['id'], at('id')),
    ...uuidIssues(event['tenantId'], at('tenantId')),
    ...textIssues(event['userId'], at('userId'), { nullable: true }),
    ...oneOfIssues(event['category'], at('category'), CATEGORIES),
    ...textIssues(event['action'], at('action'), { nonEmpty: true }),
    ...textIssues(event['resourceType'], at('resourceType'), { nonEmpty: true }),
    ...textIssues(event['resourceId'], at('resourceId'), { nullable: true }),
    ...textIssues(event['patientId'], at('patientId'), { nullable: true }),
    ...oneOfIssues(event['outcome'], at('outcome'), OUTCOMES),
    ...jsonIssues(event['oldValue'], at('oldValue')),
    ...jsonIssues(event['newValue'], at('newValue')),
    ...textListIssues(event['changedFields'], at('changedFields')),
    ...textIssues(event['ipAddress'], at('ipAddress'), { nullable: true }),
    ...textIssues(event['userAgent'], at('userAgent'), { nullable: true }),
    ...dateIssues(event['timestamp'], at('timestamp')),
    ...objectIssues(event['metadata'], at('metadata')),
    ...jsonIssues(event['metadata'], at('metadata')),
    ...oneOfIssues(event['purposeOfUse'], at('purposeOfUse'), PURPOSES_OF_USE, { nullable: true }),
    ...textIssues(event['recipient'], at('recipient'), { nullable: true }),
    ...textIssues(event['disclosureBasis'], at('disclosureBasis'), { nullable: true }),
    ...textIssues(event['sessionId'], at('sessionId'), { nullable: true }),
    ...textIssues(event['correlationId'], at('correlationId'), { nullable: true }),
    ...textListIssues(event['dataCategories'], at('dataCategories')),
    ...oneOfIssues(event['retentionClass'], at('retentionClass'), RETENTION_CLASSES),
  ];
}

const TEXT_FIELDS = [
  'id',
  'tenantId',
  'category',
  'action',
  'outcome',
  'resourceType',
  'retentionClass',
];
const NULLABLE_TEXT_FIELDS = [
  'userId',
  'resourceId',
  'patientId',
  'ipAddress',
  'userAgent',
  'purposeOfUse',
  'recipient',
  'disclosureBasis',
  'sessionId',
  'correlationId',
];

function typeIssues(value: unknown, path: string, nullable: boolean): ErrorIssue[] {
  if (typeof value === 'string' || (nullable && value === null)) return none;
  return issue(path, nullable ? 'must be a string or null' : 'must be a string');
}

/**
 * The issues of an argument that must be an `AuditLog` as a store returns it: every field of
 * the type it has, a valid timestamp, JSON without cycles, and chain fields (a sequence of 1 or
 * more and two hashes, or null while unsealed). Only types are checked, not the rules of a new
 * event (UUID form, lengths, known purposes): a log read back must be usable whatever was
 * written before those rules existed.
 *
 * @example
 * ```ts
 * checkArguments('toFhirAuditEvent', auditLogIssues(log, 'log'));
 * ```
 */
export function auditLogIssues(value: unknown, path: string): ErrorIssue[] {
  if (!isRecord(value)) return issue(path, 'must be an audit log object');
  const at = (field: string): string => `${path}.${field}`;
  const timestamp = value['timestamp'];
  return [
    ...TEXT_FIELDS.flatMap((field) => typeIssues(value[field], at(field), false)),
    ...NULLABLE_TEXT_FIELDS.flatMap((field) => typeIssues(value[field], at(field), true)),
    ...(timestamp instanceof Date && !Number.isNaN(timestamp.getTime())
      ? none
      : issue(at('timestamp'), 'must be a valid Date')),
    ...(Array.isArray(value['changedFields'])
      ? none
      : issue(at('changedFields'), 'must be an array of strings')),
    ...(Array.isArray(value['dataCategories'])
      ? none
      : issue(at('dataCategories'), 'must be an array of strings')),
    ...objectIssues(value['metadata'], at('metadata')),
    ...jsonIssues(value['metadata'], at('metadata')),
    ...jsonIssues(value['oldValue'], at('oldValue')),
    ...jsonIssues(value['newValue'], at('newValue')),
    ...integerIssues(value['sequence'], at('sequence'), {
      min: 1,
      max: Number.MAX_SAFE_INTEGER,
      optional: true,
      nullable: true,
    }),
    ...typeIssues(value['payloadHash'] ?? null, at('payloadHash'), true),
    ...typeIssues(value['previousHash'] ?? null, at('previousHash'), true),
  ];
}

/**
 * The issues of the first element of an array that fails `check`, or of a non-array.
 *
 * @example
 * ```ts
 * listIssues(logs, 'logs', auditLogIssues);
 * ```
 */
export function listIssues(
  value: unknown,
  path: string,
  check: (item: unknown, itemPath: string) => ErrorIssue[],
): ErrorIssue[] {
  if (!Array.isArray(value)) return issue(path, 'must be an array');
  for (const [index, item] of value.entries()) {
    const found = check(item, `${path}.${index}`);
    if (found.length > 0) return found;
  }
  return none;
}

/**
 * The issues of an argument that must be a chain position: a sequence of 0 or more and a hash.
 *
 * @example
 * ```ts
 * chainPositionIssues(range.start, 'range.start', { optional: true });
 * ```
 */
export function chainPositionIssues(
  value: unknown,
  path: string,
  presence: Presence = {},
): ErrorIssue[] {
  if (absent(value, presence)) return none;
  if (!isRecord(value)) {
    return issue(path, orAbsent('must be a chain position { sequence, hash }', presence));
  }
  return [
    ...integerIssues(value['sequence'], `${path}.sequence`, {
      min: 0,
      max: Number.MAX_SAFE_INTEGER,
    }),
    ...hashIssues(value['hash'], `${path}.hash`),
  ];
}

/**
 * The issues of the optional range of `AuditStore.verify`: positions well-formed, sequences
 * whole, and a checkpoint that lies within the verified part of the chain (not before `start`,
 * not after `toSequence`), since a checkpoint the range skips could not be compared.
 *
 * @example
 * ```ts
 * checkArguments('verify', uuidIssues(tenantId, 'tenantId'), verifyRangeIssues(range, 'range'));
 * ```
 */
export function verifyRangeIssues(value: unknown, path: string): ErrorIssue[] {
  if (value === undefined) return none;
  if (!isRecord(value)) return issue(path, 'must be an object, or omitted');
  const sequence = { min: 0, max: Number.MAX_SAFE_INTEGER, optional: true };
  const issues = [
    ...chainPositionIssues(value['start'], `${path}.start`, { optional: true }),
    ...chainPositionIssues(value['checkpoint'], `${path}.checkpoint`, { optional: true }),
    ...integerIssues(value['toSequence'], `${path}.toSequence`, sequence),
    ...integerIssues(value['expectedEnd'], `${path}.expectedEnd`, sequence),
  ];
  if (issues.length > 0) return issues;
  const start = value['start'] as { sequence: number } | undefined;
  const checkpoint = value['checkpoint'] as { sequence: number } | undefined;
  const toSequence = value['toSequence'] as number | undefined;
  if (checkpoint && start && checkpoint.sequence < start.sequence) {
    return issue(`${path}.checkpoint`, 'must not be before range.start');
  }
  if (checkpoint && toSequence !== undefined && checkpoint.sequence > toSequence) {
    return issue(`${path}.checkpoint`, 'must not be after range.toSequence');
  }
  return none;
}
