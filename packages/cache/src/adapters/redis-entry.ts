/**
 * One value as the Redis store keeps it: a plain string `<fields>\n<stamp>\n<payload>`, where
 * `fields` are the generation fields the value depends on (joined by spaces) and `stamp` their
 * generations when it was written (joined by commas).
 *
 * @example
 * ```ts
 * parseStoredEntry('n t:x\n0,3\npayload'); // { fieldsText: 'n t:x', stamp: '0,3', payload: 'payload' }
 * ```
 */
export interface StoredEntry {
  readonly fieldsText: string;
  readonly stamp: string;
  readonly payload: string;
}

/**
 * Splits a stored value into its fields, stamp and payload; `undefined` when it is not in that
 * shape (then it is treated as a miss).
 *
 * @example
 * ```ts
 * parseStoredEntry('n\n2\n{"a":1}')?.payload; // '{"a":1}'
 * parseStoredEntry('garbage'); // undefined
 * ```
 */
export function parseStoredEntry(stored: string): StoredEntry | undefined {
  const first = stored.indexOf('\n');
  if (first < 0) return undefined;
  const second = stored.indexOf('\n', first + 1);
  if (second < 0) return undefined;
  return {
    fieldsText: stored.slice(0, first),
    stamp: stored.slice(first + 1, second),
    payload: stored.slice(second + 1),
  };
}

/**
 * The stamp of `count` generations read from `replies` starting at `from`: their values joined
 * by commas, a generation key that does not exist counting as `0`.
 *
 * @example
 * ```ts
 * stampOf(['value', '3', null], 1, 2); // '3,0'
 * ```
 */
export function stampOf(replies: readonly (string | null)[], from: number, count: number): string {
  if (count === 1) return replies[from] ?? '0';
  let stamp = '';
  for (let i = 0; i < count; i += 1) {
    stamp += i === 0 ? (replies[from + i] ?? '0') : `,${replies[from + i] ?? '0'}`;
  }
  return stamp;
}

/**
 * The fields of a stored value, from their space-joined text.
 *
 * @example
 * ```ts
 * splitFields('n t:x'); // ['n', 't:x']
 * splitFields(''); // []
 * ```
 */
export function splitFields(fieldsText: string): string[] {
  return fieldsText.length === 0 ? [] : fieldsText.split(' ');
}
