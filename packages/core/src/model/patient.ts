/**
 * The patient aggregate. Every identifying field is tagged with {@link phi}: names, contact
 * details, date of birth, address, record number and notes are `direct` identifiers, and the
 * national id (SSN-class) is `sensitive`, so it is encrypted before it reaches any store.
 *
 * @packageDocumentation
 */
import { z } from 'zod';
import { PatientId, TenantId, UserId } from '../ids.js';
import { phi } from '../phi.js';
import { LocalDate, Timestamp, Version } from './common.js';
import { multiLine, singleLine } from './text.js';

/**
 * How a patient wants to be contacted.
 *
 * @example
 * ```ts
 * ContactChannel.parse('sms');
 * ```
 */
export const ContactChannel = z.enum(['sms', 'email', 'none']);
/** A parsed {@link ContactChannel}. */
export type ContactChannel = z.output<typeof ContactChannel>;

/**
 * A patient's contact details; phone numbers are E.164.
 *
 * @example
 * ```ts
 * PatientContact.parse({ phone: '+14155550100', preferredChannel: 'sms' });
 * ```
 */
export const PatientContact = z.object({
  phone: phi('direct', z.e164()).optional(),
  email: phi('direct', z.email().max(320)).optional(),
  preferredChannel: ContactChannel.default('sms'),
});
/** Parsed {@link PatientContact}. */
export type PatientContact = z.output<typeof PatientContact>;

/**
 * What the patient agreed to. Messages are sent only on channels with consent.
 *
 * @example
 * ```ts
 * PatientConsent.parse({ sms: true, email: false, dataProcessing: true, recordedAt: '2026-03-01T09:00:00Z' });
 * ```
 */
export const PatientConsent = z.object({
  sms: z.boolean(),
  email: z.boolean(),
  dataProcessing: z.boolean(),
  recordedAt: Timestamp,
});
/** Parsed {@link PatientConsent}. */
export type PatientConsent = z.output<typeof PatientConsent>;

/**
 * A postal address; the whole object is a direct identifier.
 *
 * @example
 * ```ts
 * PatientAddress.parse({ line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' });
 * ```
 */
export const PatientAddress = phi(
  'direct',
  z.object({
    line1: singleLine(z.string().max(200)),
    line2: singleLine(z.string().max(200)).optional(),
    city: singleLine(z.string().max(100)),
    postalCode: singleLine(z.string().max(20)),
    country: z
      .string()
      .regex(/^[A-Z]{2}$/, { message: 'must be an ISO 3166-1 alpha-2 country code' }),
  }),
);
/** A parsed {@link PatientAddress}. */
export type PatientAddress = z.output<typeof PatientAddress>;

/**
 * A patient.
 *
 * @example
 * ```ts
 * const patient = parseOrThrow(Patient, body, 'patient');
 * taggedPaths(Patient); // which fields to keep out of logs, cache keys and events
 * ```
 */
export const Patient = z.object({
  id: PatientId,
  tenantId: TenantId,
  /** The account the patient signs in with, if they have one. */
  userId: UserId.optional(),
  givenName: phi('direct', singleLine(z.string().trim().min(1).max(100))),
  familyName: phi('direct', singleLine(z.string().trim().min(1).max(100))),
  dateOfBirth: phi('direct', LocalDate),
  contact: PatientContact,
  address: PatientAddress.optional(),
  /** The clinic's medical record number. */
  medicalRecordNumber: phi('direct', singleLine(z.string().max(64))).optional(),
  /** A national identifier such as a US SSN; encrypted at rest. */
  nationalId: phi('sensitive', singleLine(z.string().min(4).max(32))).optional(),
  /** Free-text notes written by staff. */
  notes: phi('direct', multiLine(z.string().max(4000))).optional(),
  consent: PatientConsent,
  createdAt: Timestamp,
  updatedAt: Timestamp,
  version: Version,
});
/** A parsed {@link Patient}. */
export type Patient = z.output<typeof Patient>;
