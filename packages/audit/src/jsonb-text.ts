import type { AuditJsonValue } from './audit-event.js';

// The jsonb rendering behind jsonbText, without its argument check, for values the package built
// or checked itself (canonical forms, protected values). Internal: the package entry does not
// export this module.

const utf8 = new TextEncoder();

function compareKeys(a: string, b: string): number {
  // Postgres orders jsonb object keys by byte length first, then byte by byte.
  const left = utf8.encode(a);
  const right = utf8.encode(b);
  if (left.length !== right.length) return left.length - right.length;
  for (let index = 0; index < left.length; index += 1) {
    const difference = (left[index] as number) - (right[index] as number);
    if (difference !== 0) return difference;
  }
  return 0;
}

// Postgres keeps a JSON number as an exact decimal and prints it without an exponent
// (1e+21 as 1000000000000000000000, 1.5e-10 as 0.00000000015); JavaScript switches to exponent
// notation from 1e21 and below 1e-6. Such numbers are written out in full here too.
function numericText(value: number): string {
  const text = JSON.stringify(value);
  const match = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!match) return text;
  const [, sign = '', lead = '', fraction = '', exponent = '0'] = match;
  const digits = lead + fraction;
  const point = 1 + Number(exponent);
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/**
 * Renders a JSON value as Postgres renders `jsonb` as text; see `jsonbText`.
 *
 * @example
 * ```ts
 * jsonbTextOf({ bb: 1, a: [true, null] }); // '{"a": [true, null], "bb": 1}'
 * ```
 */
export function jsonbTextOf(value: AuditJsonValue | undefined): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return numericText(value);
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (Array.isArray(value)) {
    return `[${(value as readonly AuditJsonValue[]).map((item) => jsonbTextOf(item)).join(', ')}]`;
  }
  const record = value as { readonly [key: string]: AuditJsonValue };
  const keys = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort(compareKeys);
  return `{${keys.map((key) => `${JSON.stringify(key)}: ${jsonbTextOf(record[key])}`).join(', ')}}`;
}
