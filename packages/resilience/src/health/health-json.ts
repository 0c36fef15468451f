/**
 * The status of a check or of a whole service in `application/health+json`: `pass` (healthy),
 * `warn` (healthy with concerns, such as a dependency served by its fallback) or `fail`.
 *
 * @example
 * ```ts
 * const status: HealthStatus = breaker.getState() === 'open' ? 'warn' : 'pass';
 * ```
 */
export type HealthStatus = 'pass' | 'warn' | 'fail';

/**
 * One measurement in the `checks` map of an `application/health+json` document.
 *
 * @example
 * ```ts
 * const entry: HealthCheckEntry = {
 *   componentId: 'database',
 *   componentType: 'datastore',
 *   status: 'pass',
 *   observedValue: 12,
 *   observedUnit: 'ms',
 *   time: '2026-01-01T00:00:00.000Z',
 * };
 * ```
 */
export interface HealthCheckEntry {
  /** The name the check was registered under. */
  readonly componentId: string;
  /** The kind of component, such as `datastore` or `component`. */
  readonly componentType: string;
  readonly status: HealthStatus;
  /** How long the check took, in `observedUnit`. */
  readonly observedValue: number;
  readonly observedUnit: 'ms';
  /** When the check ran (ISO 8601). */
  readonly time: string;
  /** Why the check warned or failed. Written by CareQueue or the check, never patient data. */
  readonly output?: string;
}

/**
 * A health document in the IETF `application/health+json` format
 * (draft-inadarei-api-health-check).
 *
 * @example
 * ```ts
 * reply.status(healthHttpStatus(doc.status)).type(HEALTH_JSON_MEDIA_TYPE).send(doc);
 * ```
 */
export interface HealthJson {
  readonly status: HealthStatus;
  /** Keyed `<componentId>:responseTime`. Empty for liveness. */
  readonly checks: Readonly<Record<string, readonly HealthCheckEntry[]>>;
  /** When the document was built (ISO 8601). */
  readonly time: string;
}

/**
 * The media type of {@link HealthJson} documents.
 *
 * @example
 * ```ts
 * reply.type(HEALTH_JSON_MEDIA_TYPE);
 * ```
 */
export const HEALTH_JSON_MEDIA_TYPE = 'application/health+json';

/**
 * The HTTP status for a health status: 200 for `pass` and `warn`, 503 for `fail`.
 *
 * @example
 * ```ts
 * reply.status(healthHttpStatus((await health.readiness()).status));
 * ```
 */
export function healthHttpStatus(status: HealthStatus): 200 | 503 {
  return status === 'fail' ? 503 : 200;
}
