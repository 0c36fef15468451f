/**
 * The tenant: the organization that owns clinics, staff, patients and their data.
 *
 * @packageDocumentation
 */
import { z } from 'zod';
import { TenantId } from '../ids.js';
import { Timestamp, Version } from './common.js';
import { singleLine } from './text.js';

/**
 * Whether a tenant may use the service: `suspended` refuses every request but keeps the data.
 *
 * @example
 * ```ts
 * TenantStatus.parse('active');
 * ```
 */
export const TenantStatus = z.enum(['active', 'suspended']);
/** A parsed {@link TenantStatus}. */
export type TenantStatus = z.output<typeof TenantStatus>;

/**
 * A tenant. Its name is the organization's, business data rather than PHI; `slug` is a short
 * stable handle for URLs and configuration.
 *
 * @example
 * ```ts
 * const tenant = parseOrThrow(Tenant, row, 'tenant');
 * ```
 */
export const Tenant = z.object({
  id: TenantId,
  name: singleLine(z.string().trim().min(1).max(200)),
  slug: z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, {
    message: 'must be 1 to 63 lower-case letters, digits or inner dashes',
  }),
  status: TenantStatus,
  createdAt: Timestamp,
  updatedAt: Timestamp,
  version: Version,
});
/** A parsed {@link Tenant}. */
export type Tenant = z.output<typeof Tenant>;
