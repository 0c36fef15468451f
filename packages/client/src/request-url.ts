import { ValidationError } from '@carequeue/core';
import { requireArgument } from './argument-checks.js';

/**
 * A query string value; `undefined` leaves the parameter out, an array repeats it.
 *
 * @example
 * ```ts
 * const status: QueryValue = ['waiting', 'called']; // status=waiting&status=called
 * ```
 */
export type QueryValue =
  string | number | boolean | undefined | readonly (string | number | boolean)[];

/**
 * Query parameters of a request, by name.
 *
 * @example
 * ```ts
 * const query: QueryParams = { limit: 50, cursor: undefined };
 * ```
 */
export type QueryParams = Readonly<Record<string, QueryValue>>;

function queryText(value: string | number | boolean, name: string): string {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new ValidationError('A query parameter is not a finite number.', [
      { path: `query.${name}`, message: 'must be a finite number' },
    ]);
  }
  return String(value);
}

/**
 * The URL of a request: the base URL's origin and path prefix, then `path`, then the query.
 *
 * @param baseUrl - the API's base URL, such as `https://clinic.example/` or `https://x.example/carequeue`.
 * @param path - the operation path starting with `/`, such as `/api/v1/clinics`; no query or fragment.
 * @param query - query parameters; `undefined` values are left out, arrays repeat the name.
 * @returns the URL to fetch.
 * @throws ValidationError naming `path` or `query.<name>` when they are malformed.
 * @example
 * ```ts
 * requestUrl(new URL('https://x.example/carequeue/'), '/api/v1/clinics', { limit: 20 }).href;
 * // 'https://x.example/carequeue/api/v1/clinics?limit=20'
 * ```
 */
export function requestUrl(baseUrl: URL, path: string, query: QueryParams = {}): URL {
  if (typeof path !== 'string' || !path.startsWith('/') || /[?#]/.test(path)) {
    throw new ValidationError('The request path is invalid.', [
      { path: 'path', message: 'must start with / and hold no query or fragment' },
    ]);
  }
  requireArgument(query !== null && typeof query === 'object', 'query', 'must be an object');
  const url = new URL(baseUrl.href);
  url.pathname = url.pathname.replace(/\/+$/, '') + path;
  url.search = '';
  url.hash = '';
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    const values: readonly (string | number | boolean)[] = Array.isArray(value)
      ? value
      : [value as string | number | boolean];
    for (const item of values) url.searchParams.append(name, queryText(item, name));
  }
  return url;
}
