/**
 * The clinic aggregate: a location with its own time zone, queues, schedules and settings.
 *
 * @packageDocumentation
 */
import { z } from 'zod';
import { ClinicId, TenantId } from '../ids.js';
import { TimeZone, Timestamp, Version } from './common.js';
import { singleLine } from './text.js';

/**
 * How a clinic runs its booking and queue.
 *
 * @example
 * ```ts
 * const settings = ClinicSettings.parse({}); // every default
 * ```
 */
export const ClinicSettings = z.object({
  /** Whether patients can join a queue without an appointment. @default true */
  walkInsEnabled: z.boolean().default(true),
  /** Grid on which bookable slots start, in minutes. @default 15 */
  slotIntervalMinutes: z.int().min(5).max(240).default(15),
  /** Shortest time between booking and the appointment, in minutes. @default 60 */
  minimumNoticeMinutes: z.int().min(0).max(43_200).default(60),
  /** How far ahead patients may book, in days. @default 60 */
  bookingHorizonDays: z.int().min(1).max(730).default(60),
  /** Cancelling later than this before the start counts as a late cancel, in minutes. @default 1440 */
  lateCancelWindowMinutes: z.int().min(0).max(20_160).default(1440),
  /** How long after the start an absent patient becomes a no-show, in minutes. @default 15 */
  noShowGraceMinutes: z.int().min(0).max(1440).default(15),
  /** How many times a called patient is recalled before being marked no-show. @default 2 */
  maxRecalls: z.int().min(0).max(10).default(2),
});
/** Parsed {@link ClinicSettings}. */
export type ClinicSettings = z.output<typeof ClinicSettings>;

/**
 * A clinic. Its name and address are business data, not PHI.
 *
 * @example
 * ```ts
 * const clinic = parseOrThrow(Clinic, row, 'clinic');
 * ```
 */
export const Clinic = z.object({
  id: ClinicId,
  tenantId: TenantId,
  name: singleLine(z.string().trim().min(1).max(200)),
  timeZone: TimeZone,
  address: z
    .object({
      line1: singleLine(z.string().max(200)),
      line2: singleLine(z.string().max(200)).optional(),
      city: singleLine(z.string().max(100)),
      postalCode: singleLine(z.string().max(20)),
      country: z
        .string()
        .regex(/^[A-Z]{2}$/, { message: 'must be an ISO 3166-1 alpha-2 country code' }),
    })
    .optional(),
  settings: ClinicSettings.default(ClinicSettings.parse({})),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  version: Version,
});
/** A parsed {@link Clinic}. */
export type Clinic = z.output<typeof Clinic>;
