/**
 * The service type aggregate: a kind of visit with its duration and buffers.
 *
 * @packageDocumentation
 */
import { z } from 'zod';
import { ClinicId, ServiceTypeId, TenantId } from '../ids.js';
import { Timestamp, Version } from './common.js';
import { singleLine } from './text.js';

/**
 * A kind of visit a clinic offers, such as a vaccination or a consultation.
 *
 * @example
 * ```ts
 * const flu = parseOrThrow(ServiceType, row, 'service type');
 * flu.durationMinutes; // 15
 * ```
 */
export const ServiceType = z.object({
  id: ServiceTypeId,
  tenantId: TenantId,
  clinicId: ClinicId,
  name: singleLine(z.string().trim().min(1).max(200)),
  /** How long the visit takes, in minutes. */
  durationMinutes: z.int().min(1).max(720),
  /** Time kept free before the visit, in minutes. @default 0 */
  bufferBeforeMinutes: z.int().min(0).max(240).default(0),
  /** Time kept free after the visit, in minutes. @default 0 */
  bufferAfterMinutes: z.int().min(0).max(240).default(0),
  /** Whether patients may book it. @default true */
  active: z.boolean().default(true),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  version: Version,
});
/** A parsed {@link ServiceType}. */
export type ServiceType = z.output<typeof ServiceType>;
