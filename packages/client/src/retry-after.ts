/**
 * Reads a `Retry-After` header: a number of seconds or an HTTP date.
 *
 * @param value - the header value, or `null` when the answer had none.
 * @param nowMs - the current time in epoch milliseconds, to turn a date into a delay.
 * @returns the delay in milliseconds (0 for a date in the past), or `undefined` when the header
 *   is absent or unreadable (or not a string).
 * @example
 * ```ts
 * parseRetryAfter('2', Date.now()); // 2000
 * parseRetryAfter('Wed, 21 Oct 2026 07:28:00 GMT', Date.parse('Wed, 21 Oct 2026 07:27:00 GMT')); // 60000
 * ```
 */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  if (Number.isNaN(at) || !/[a-z]/i.test(text) || !Number.isFinite(nowMs)) return undefined;
  return Math.max(0, at - nowMs);
}
