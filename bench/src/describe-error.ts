/**
 * The text a failure report shows for a thrown value: an error's stack (which starts with its
 * name and message), or the value itself when something other than an Error was thrown.
 *
 * @example
 * ```ts
 * describeError(new Error('boom')); // 'Error: boom\n    at ...'
 * describeError('boom'); // 'boom'
 * ```
 */
export function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
