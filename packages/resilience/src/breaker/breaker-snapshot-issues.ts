/**
 * Checks of a {@link BreakerSnapshot} given to a breaker (`initialState`, `restore`): it comes
 * from storage or another process, so its shape is not guaranteed by its type.
 *
 * @packageDocumentation
 */
import type { ErrorIssue } from '@carequeue/core';
import { integerIssues, isRecord, numberIssues } from '../call-arguments.js';
import type { BreakerSnapshot } from './breaker-state.js';

const STATES: readonly unknown[] = ['closed', 'open', 'half-open'];

/**
 * The issues of a snapshot at `path`: an object whose `state` is a {@link BreakerState},
 * `openUntil` a finite number of epoch milliseconds or left out, and `window` an object whose
 * `calls` and `failures` are counts with no more failures than calls.
 *
 * @example
 * ```ts
 * breakerSnapshotIssues(JSON.parse(saved), 'snapshot'); // [] for a saved toSnapshot()
 * ```
 */
export function breakerSnapshotIssues(snapshot: BreakerSnapshot, path: string): ErrorIssue[] {
  if (!isRecord(snapshot)) {
    return [{ path, message: 'must be a snapshot object returned by toSnapshot' }];
  }
  const { state, openUntil, window } = snapshot;
  const issues: ErrorIssue[] = [
    ...(STATES.includes(state)
      ? []
      : [{ path: `${path}.state`, message: 'must be one of: closed, open, half-open' }]),
    ...(openUntil === undefined
      ? []
      : numberIssues(openUntil, `${path}.openUntil`, -Number.MAX_VALUE, Number.MAX_VALUE)),
  ];
  if (!isRecord(window)) {
    return [
      ...issues,
      { path: `${path}.window`, message: 'must be an object with calls and failures' },
    ];
  }
  const { calls, failures } = window;
  issues.push(
    ...integerIssues(calls, `${path}.window.calls`, 0, Number.MAX_SAFE_INTEGER),
    ...integerIssues(
      failures,
      `${path}.window.failures`,
      0,
      typeof calls === 'number' ? calls : Number.MAX_SAFE_INTEGER,
    ),
  );
  return issues;
}
