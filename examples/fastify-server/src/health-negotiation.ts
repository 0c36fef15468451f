import { HEALTH_JSON_MEDIA_TYPE } from '@carequeue/resilience';

interface MediaRange {
  readonly type: string;
  readonly quality: number;
}

function parseAccept(accept: string): MediaRange[] {
  return accept.split(',').map((part) => {
    const [type = '', ...parameters] = part.split(';').map((piece) => piece.trim().toLowerCase());
    const qualityParameter = parameters.find((parameter) => parameter.startsWith('q='));
    const quality = qualityParameter === undefined ? 1 : Number(qualityParameter.slice(2));
    return { type, quality: Number.isNaN(quality) ? 0 : quality };
  });
}

/**
 * Whether a client asked for `application/health+json` at least as strongly as for plain JSON.
 * Wildcards alone get plain JSON, which every client can read.
 *
 * @param accept - the request's `Accept` header.
 * @example
 * ```ts
 * prefersHealthJson('application/health+json'); // true
 * prefersHealthJson('application/json, application/health+json;q=0.5'); // false
 * prefersHealthJson('application/*'); // false
 * ```
 */
export function prefersHealthJson(accept: string | undefined): boolean {
  if (accept === undefined) return false;
  const ranges = parseAccept(accept);
  const qualityOf = (types: readonly string[]): number =>
    Math.max(0, ...ranges.filter((range) => types.includes(range.type)).map((r) => r.quality));
  const healthJson = qualityOf([HEALTH_JSON_MEDIA_TYPE]);
  return healthJson > 0 && healthJson >= qualityOf(['application/json', 'application/*', '*/*']);
}
