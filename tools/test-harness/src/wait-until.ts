/** Options of {@link waitUntil}. */
export interface WaitUntilOptions {
  /** Give up after this long. @default 30_000 */
  readonly timeoutMs?: number;
  /** Time between checks. @default 50 */
  readonly intervalMs?: number;
  /** What is being waited for, used in the timeout error. @default 'condition' */
  readonly description?: string;
}

/**
 * Checks `condition` until it returns true, for tests that wait on another process instead of
 * sleeping a fixed time. A check that throws counts as false.
 *
 * @throws {Error} when the condition is still false after `timeoutMs`.
 * @example
 * ```ts
 * await waitUntil(async () => (await client.ping().catch(() => '')) === 'PONG', {
 *   description: 'Redis to answer',
 * });
 * ```
 */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  options: WaitUntilOptions = {},
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      if (await condition()) return;
    } catch (error: unknown) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      throw new Error(
        `Timed out after ${timeoutMs} ms waiting for ${options.description ?? 'condition'}.`,
        { cause: lastError },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 50));
  }
}
