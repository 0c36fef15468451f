import { isCarequeueError, type CarequeueError } from '@carequeue/core';

/** Error codes that mean "the options given to a factory were wrong". */
const CONFIG_ERROR_CODE = /_CONFIG_INVALID$/;

/**
 * Whether `error` is a refusal of the caller's arguments: a 400 (`ValidationError` and the
 * packages' own argument errors) or a package's configuration error.
 *
 * @example
 * ```ts
 * if (isRefusal(error)) expect(ports.calls).toEqual([]);
 * ```
 */
export function isRefusal(error: CarequeueError): boolean {
  return error.status === 400 || CONFIG_ERROR_CODE.test(error.code);
}

/** What is wrong with a thrown value, or `undefined` when it is an acceptable answer. */
export function thrownProblem(error: unknown): string | undefined {
  if (!isCarequeueError(error)) {
    const name = error instanceof Error ? error.name : typeof error;
    return `threw a raw ${name}, not a CarequeueError`;
  }
  if (error.status >= 500 && !CONFIG_ERROR_CODE.test(error.code)) {
    return `threw ${error.name} (${error.code}, ${error.status}): hostile input must be refused, not reach a failure`;
  }
  if (error.code === 'VALIDATION_FAILED') {
    const issues = (error as CarequeueError & { issues?: readonly { path: string }[] }).issues;
    if (!Array.isArray(issues) || issues.length === 0) {
      return 'threw a ValidationError with no issues: it must name the argument path';
    }
  }
  return undefined;
}

/** Every text a thrown error exposes to a caller or an operator. */
export function exposedTexts(error: unknown): string[] {
  if (!isCarequeueError(error)) {
    return [error instanceof Error ? `${error.name}: ${error.message}` : safeString(error)];
  }
  return [error.message, safeJson(error.toJSON()), safeJson(error.toProblem())];
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch (cause) {
    return `unserializable: ${String(cause)}`;
  }
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return typeof value;
  }
}

/**
 * A short description of an argument list for a failure report: types and shapes, with every
 * string shortened, so a report never prints a 240,000-character argument.
 *
 * @example
 * ```ts
 * describeArguments([null, { name: 'x'.repeat(9000) }]); // '[null, {name: string(9000)}]'
 * ```
 */
export function describeArguments(values: readonly unknown[]): string {
  const seen = new WeakSet<object>();
  const describe = (value: unknown, depth: number): string => {
    if (value === null) return 'null';
    if (typeof value === 'string') {
      return value.length > 40 ? `string(${value.length})` : JSON.stringify(value);
    }
    if (typeof value === 'bigint') return `${value}n`;
    if (typeof value === 'symbol' || typeof value === 'function') return typeof value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    if (value === undefined || typeof value !== 'object') return 'undefined';
    if (seen.has(value)) return '<circular>';
    seen.add(value);
    if (value instanceof Date)
      return `Date(${Number.isNaN(value.getTime()) ? 'invalid' : value.getTime()})`;
    if (depth > 2) return Array.isArray(value) ? '[...]' : '{...}';
    if (Array.isArray(value))
      return `[${value.map((item) => describe(item, depth + 1)).join(', ')}]`;
    const entries = Object.entries(value).map(
      ([key, item]) => `${key}: ${describe(item, depth + 1)}`,
    );
    return `{${entries.join(', ')}}`;
  };
  return describe(values, 0);
}
