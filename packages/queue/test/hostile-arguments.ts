import { ValidationError } from '@carequeue/core';
import { expect } from 'vitest';

/** Put into every hostile value: no error, problem document or issue may contain it. */
export const MARKER = 'Hx19mK7qZp2w';

/** An object that contains itself, and the marker under a key no schema declares. */
export function circularObject(): Record<string, unknown> {
  const circular: Record<string, unknown> = { [MARKER]: MARKER };
  circular['self'] = circular;
  return circular;
}

/**
 * Values no argument of a service method accepts: `null`, a boolean, a circular object and an
 * array, each carrying the marker where it can. `withText` adds a string (for arguments that are
 * not free strings themselves).
 */
export function hostileValues(withText = true): unknown[] {
  return [null, true, circularObject(), [MARKER], ...(withText ? [`${MARKER}\u0000`] : [])];
}

/**
 * Ports that record every call and then fail: a refused call must leave `calls` empty.
 *
 * @example
 * ```ts
 * const ports = recordingPorts();
 * createPatientService({ unitOfWork: ports.port('unitOfWork'), ... });
 * ```
 */
export function recordingPorts(): { calls: string[]; port: <T>(name: string) => T } {
  const calls: string[] = [];
  const port = <T>(name: string): T =>
    new Proxy(
      {},
      {
        get: (_target, property) =>
          typeof property === 'symbol'
            ? undefined
            : (..._args: unknown[]) => {
                calls.push(`${name}.${property}`);
                throw new Error(`port ${name}.${property} was called`);
              },
      },
    ) as T;
  return { calls, port };
}

/**
 * Expects `call` to reject with a `ValidationError` whose issues all lie under `argument`, whose
 * message, issues and problem document hold no marker, and that no port was called.
 */
export async function expectRefusedBeforeAnyPort(
  call: () => Promise<unknown>,
  argument: string,
  calls: readonly string[],
): Promise<void> {
  let caught: unknown;
  try {
    await call();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ValidationError);
  const error = caught as ValidationError;
  expect(error.issues.length).toBeGreaterThan(0);
  for (const issue of error.issues) {
    expect(issue.path === argument || issue.path.startsWith(`${argument}.`)).toBe(true);
  }
  expect(JSON.stringify([error.message, error.issues, error.toProblem()])).not.toContain(MARKER);
  expect(calls).toEqual([]);
}

/** One public method with arguments it accepts, by name in call order. */
export interface MethodCase {
  readonly method: string;
  readonly args: readonly (readonly [name: string, value: unknown])[];
  /** Arguments that are free strings, attacked without the hostile string. */
  readonly textArguments?: readonly string[];
}

/** Every `[case, argument name, hostile value]` triple of `cases`. */
export function hostileCalls(
  cases: readonly MethodCase[],
): [method: string, argument: string, values: unknown[], call: MethodCase][] {
  return cases.flatMap((one) =>
    one.args.map(([name]): [string, string, unknown[], MethodCase] => [
      one.method,
      name,
      hostileValues(!(one.textArguments ?? []).includes(name)),
      one,
    ]),
  );
}

/** The argument list of `call` with `name` replaced by `value`. */
export function argumentsWith(call: MethodCase, name: string, value: unknown): unknown[] {
  return call.args.map(([argument, valid]) => (argument === name ? value : valid));
}
