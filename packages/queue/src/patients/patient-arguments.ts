/**
 * The argument schemas of the patient service: what each method accepts, checked before any
 * port is called. They reuse core's `Patient` schema, so a field is held to the same rules
 * whichever way it arrives.
 *
 * @internal
 * @packageDocumentation
 */
import { z } from 'zod';
import { ActorSchema, LocalDate, Patient, PatientConsent, PatientId } from '@carequeue/core';
import {
  ClinicIdsArgument,
  ExpectedVersionArgument,
  PageRequestArgument,
} from '../arguments/common-arguments.js';

const {
  id: _id,
  tenantId: _tenant,
  createdAt: _created,
  updatedAt: _updated,
  version: _version,
  ...fields
} = Patient.shape;

const NewPatientInput = z.strictObject({ ...fields, clinicIds: ClinicIdsArgument });

const PatientChangesInput = NewPatientInput.partial().extend({
  expectedVersion: ExpectedVersionArgument,
});

const { recordedAt: _recordedAt, ...consentFlags } = PatientConsent.shape;

/** Search criteria: each one as the patient field it matches. */
export const PatientSearchInput = z.strictObject({
  clinicId: ClinicIdsArgument.element.optional(),
  givenName: Patient.shape.givenName.optional(),
  familyName: Patient.shape.familyName.optional(),
  dateOfBirth: LocalDate.optional(),
  phone: Patient.shape.contact.shape.phone,
});

/** Argument schemas of each `PatientService` method, keyed by method name. */
export const patientArguments = {
  create: z.object({ actor: ActorSchema, input: NewPatientInput }),
  byId: z.object({ actor: ActorSchema, id: PatientId }),
  update: z.object({ actor: ActorSchema, id: PatientId, changes: PatientChangesInput }),
  recordConsent: z.object({
    actor: ActorSchema,
    id: PatientId,
    flags: z.strictObject(consentFlags),
  }),
  search: z.object({ actor: ActorSchema, criteria: PatientSearchInput, page: PageRequestArgument }),
  findByNationalId: z.object({
    actor: ActorSchema,
    nationalId: Patient.shape.nationalId.unwrap(),
  }),
};
