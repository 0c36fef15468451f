/**
 * What a policy hands to the operation it runs: a signal to stop work and the absolute time
 * (in clock milliseconds) by which the whole call must finish, to pass to nested calls.
 *
 * @example
 * ```ts
 * await breaker.execute(({ signal, deadline }) =>
 *   fetch(url, { signal, headers: deadlineHeader(deadline) }),
 * );
 * ```
 */
export interface ExecutionContext {
  readonly signal: AbortSignal;
  /** Absolute clock time in ms after which the caller no longer wants the result. */
  readonly deadline: number | undefined;
}

/**
 * An operation run by a policy. It may ignore the context; declaring the parameter is what asks
 * a {@link CircuitBreaker} for a per-call signal.
 *
 * @example
 * ```ts
 * const send: Operation<void> = ({ signal }) => sms.send(message, { signal });
 * ```
 */
export type Operation<T> = (context: ExecutionContext) => Promise<T>;

/**
 * Per-call options accepted by every policy's `execute`.
 *
 * @example
 * ```ts
 * await policy.execute(op, { signal: request.signal, deadline: clock.now() + 2000 });
 * ```
 */
export interface ExecuteOptions {
  /** Aborts the call; the operation sees it through its context. */
  readonly signal?: AbortSignal | undefined;
  /** Absolute clock time in ms by which the call must finish. */
  readonly deadline?: number | undefined;
  /** Tenant or clinic key, used by a fair {@link Bulkhead}. */
  readonly key?: string | undefined;
}

/**
 * Anything that runs an operation under a resilience rule: breaker, retry, timeout, bulkhead,
 * fallback, a rate-limit step, or a pipeline of them.
 *
 * @example
 * ```ts
 * const logged: Policy = {
 *   execute: (operation, options) => {
 *     console.info('calling');
 *     return operation({ signal: options?.signal ?? new AbortController().signal, deadline: options?.deadline });
 *   },
 * };
 * ```
 */
export interface Policy {
  execute<T>(operation: Operation<T>, options?: ExecuteOptions): Promise<T>;
}

const neverAborted = new AbortController().signal;

/**
 * Builds the context for an operation from per-call options, reusing one never-aborting signal
 * when the caller gave none.
 *
 * @example
 * ```ts
 * return operation(contextOf(options));
 * ```
 */
export function contextOf(options: ExecuteOptions | undefined): ExecutionContext {
  return { signal: options?.signal ?? neverAborted, deadline: options?.deadline };
}
