/**
 * The version of the CareQueue HTTP API this package was built for: every operation path starts
 * with `/api/` followed by it.
 *
 * @example
 * ```ts
 * `/api/${API_VERSION}/clinics`; // '/api/v1/clinics'
 * ```
 */
export const API_VERSION = 'v1';
