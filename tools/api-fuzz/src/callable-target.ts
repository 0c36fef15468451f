import type { FuzzTarget } from './fuzz-target.js';
import type { ValuePool } from './hostile-values.js';
import { createPortCallRecorder } from './port-spy.js';

/** Method names that release what a built object holds. */
const RELEASE_METHODS = ['close', 'dispose', 'stop', 'shutdown'] as const;

/** Releases `value` when it has a close-like method, ignoring how that goes. */
async function release(value: unknown): Promise<void> {
  if (typeof value !== 'object' || value === null) return;
  for (const name of RELEASE_METHODS) {
    const method = (value as Record<string, unknown>)[name];
    if (typeof method === 'function') {
      try {
        await (method as () => unknown).call(value);
      } catch {
        // A half-built object may refuse to close; the call under test already passed or failed.
      }
      return;
    }
  }
}

/**
 * A fuzz target whose one method, `call`, calls `fn` (with `new` for a class) and releases what it
 * returns, so a factory or plain function is fuzzed like a service method.
 *
 * @example
 * ```ts
 * const target = callableTarget(createCacheService, { isClass: false });
 * await fuzzMethod(target, 'call', 'createCacheService options', settings);
 * ```
 */
export function callableTarget(
  fn: (...args: unknown[]) => unknown,
  options: { isClass: boolean; pool?: ValuePool; example?: () => readonly unknown[] },
): FuzzTarget {
  const construct = fn as unknown as new (...args: unknown[]) => unknown;
  const call = async (...args: unknown[]): Promise<unknown> => {
    const value: unknown = options.isClass ? new construct(...args) : fn(...args);
    const settled: unknown = value instanceof Promise ? await value : value;
    await release(settled);
    return settled;
  };
  // The generator sizes argument lists by the declared parameter count.
  Object.defineProperty(call, 'length', { value: fn.length });
  return {
    instance: { call },
    ports: createPortCallRecorder(),
    pool: options.pool ?? { plausible: [], foreignIds: [] },
    ...(options.example === undefined ? {} : { examples: { call: options.example } }),
  };
}
