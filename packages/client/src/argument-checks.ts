import { ValidationError } from '@carequeue/core';
import { ClientConfigError } from './errors.js';

/** Whether a value is a plain object (not null, not an array). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether a value is absent or a function. */
export function isOptionalFunction(value: unknown): boolean {
  return value === undefined || typeof value === 'function';
}

/** Whether a value is absent or an `AbortSignal`. */
export function isOptionalSignal(value: unknown): boolean {
  return value === undefined || value instanceof AbortSignal;
}

/** Throws {@link ClientConfigError} with `problem` (which names the option) unless `ok`. */
export function requireOption(ok: boolean, problem: string): void {
  if (!ok) throw new ClientConfigError(problem);
}

/** Throws a `ValidationError` naming the argument `path` unless `ok`. */
export function requireArgument(ok: boolean, path: string, message: string): void {
  if (!ok) throw new ValidationError('An argument is invalid.', [{ path, message }]);
}

/** Whether a value is absent or an object of string values, as headers are given. */
export function isOptionalHeaders(value: unknown): boolean {
  return (
    value === undefined ||
    (isObject(value) && Object.values(value).every((v) => typeof v === 'string'))
  );
}
