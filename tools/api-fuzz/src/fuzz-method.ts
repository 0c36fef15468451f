import fc from 'fast-check';
import { isCarequeueError } from '@carequeue/core';
import { describeArguments, exposedTexts, isRefusal, thrownProblem } from './call-outcome.js';
import { hostileArguments, markerArbitrary } from './hostile-values.js';
import type { FuzzTarget } from './fuzz-target.js';

/** How many calls, from which seed, and how long one call may take before it counts as a hang. */
export interface FuzzSettings {
  readonly seed: number;
  readonly runs: number;
  readonly callBoundMs: number;
}

/** What fuzzing one method found. */
export interface MethodReport {
  readonly calls: number;
  readonly refused: number;
  readonly failures: readonly string[];
}

const HANG = Symbol('hang');

/** Resolves with {@link HANG} after `ms` of real time, unless cancelled first. */
function hangBound(ms: number): { promise: Promise<typeof HANG>; cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const promise = new Promise<typeof HANG>((resolve) => {
    timer = setTimeout(() => resolve(HANG), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

/** Seeds differ per method, so two methods never see the same sequence, and replay exactly. */
export function methodSeed(seed: number, label: string): number {
  let hash = seed | 0;
  for (let index = 0; index < label.length; index += 1) {
    hash = (Math.imul(hash, 31) + label.charCodeAt(index)) | 0;
  }
  return hash;
}

/**
 * Calls `methodName` of `target.instance` `settings.runs` times with generated hostile arguments
 * and reports every call that broke a rule: a raw error or a 5xx instead of a refusal, a refusal
 * after a port was called or the store changed, a marker in an error or a log line, or a hang.
 *
 * @example
 * ```ts
 * const report = await fuzzMethod(target, 'create', 'createPatientService', { seed, runs: 200, callBoundMs: 10_000 });
 * expect(report.failures).toEqual([]);
 * ```
 */
export async function fuzzMethod(
  target: FuzzTarget,
  methodName: string,
  label: string,
  settings: FuzzSettings,
): Promise<MethodReport> {
  const method = (target.instance as Record<string, unknown>)[methodName];
  if (typeof method !== 'function') {
    return { calls: 0, refused: 0, failures: [`${label}: ${methodName} is not a function`] };
  }
  const example = target.examples?.[methodName]?.();
  const cases = fc.sample(
    markerArbitrary.chain((marker) =>
      hostileArguments(marker, target.pool, method.length, example).map((args) => ({
        marker,
        args,
      })),
    ),
    { seed: methodSeed(settings.seed, label), numRuns: settings.runs },
  );
  const failures: string[] = [];
  let refused = 0;
  for (const [index, { marker, args }] of cases.entries()) {
    const where = `${label} call ${index} with ${describeArguments(args)}`;
    const logStart = target.logger?.lines.length ?? 0;
    // Every store write goes through a recorded port, so "no port call" already proves a refused
    // call changed nothing; the digest of the stored rows (on PGlite) checks it again.
    const before = target.snapshot ? await target.snapshot() : undefined;
    target.ports.reset();
    const bound = hangBound(settings.callBoundMs);
    let outcome: { thrown: boolean; value: unknown } | typeof HANG;
    try {
      outcome = await Promise.race([
        Promise.resolve()
          .then(() => Reflect.apply(method, target.instance, args) as unknown)
          .then(
            (value) => ({ thrown: false, value }),
            (error: unknown) => ({ thrown: true, value: error }),
          ),
        bound.promise,
      ]);
    } finally {
      bound.cancel();
    }
    if (outcome === HANG) {
      failures.push(`${where}: did not settle within ${settings.callBoundMs} ms`);
      continue;
    }
    const portCalls = [...target.ports.calls];
    if (outcome.thrown) {
      const problem = thrownProblem(outcome.value);
      if (problem !== undefined) failures.push(`${where}: ${problem}`);
      if (exposedTexts(outcome.value).some((text) => text.includes(marker))) {
        failures.push(`${where}: the error's message or problem document contains the marker`);
      }
      if (isCarequeueError(outcome.value) && isRefusal(outcome.value)) {
        refused += 1;
        if (portCalls.length > 0) {
          failures.push(
            `${where}: refused with ${outcome.value.code} only after calling ${portCalls.join(', ')}`,
          );
        }
        if (before !== undefined && target.snapshot && (await target.snapshot()) !== before) {
          failures.push(`${where}: refused, but the stored contents changed`);
        }
      }
    }
    const logLines = target.logger?.lines.slice(logStart) ?? [];
    if (logLines.some((line) => line.includes(marker))) {
      failures.push(`${where}: a log line contains the marker`);
    }
  }
  return { calls: cases.length, refused, failures };
}
