/**
 * The argument schemas of the clinic service, built from core's `Clinic`, `ClinicSettings`,
 * `ServiceType` and `WeeklyHours` schemas. Changes leave out the defaults of those schemas, so a
 * field the caller did not send keeps its stored value.
 *
 * @internal
 * @packageDocumentation
 */
import { z } from 'zod';
import {
  ActorSchema,
  Clinic,
  ClinicId,
  ClinicSettings,
  ServiceType,
  ServiceTypeId,
  TimeZone,
  WeeklyHours,
} from '@carequeue/core';
import { ExpectedVersionArgument, PageRequestArgument } from '../arguments/common-arguments.js';

/** The most weekly opening-hour intervals of one clinic: several per day of the week. */
export const MAX_WEEKLY_INTERVALS = 100;

const settings = ClinicSettings.shape;
const ClinicSettingsInput = z.strictObject({
  walkInsEnabled: settings.walkInsEnabled.unwrap().optional(),
  slotIntervalMinutes: settings.slotIntervalMinutes.unwrap().optional(),
  minimumNoticeMinutes: settings.minimumNoticeMinutes.unwrap().optional(),
  bookingHorizonDays: settings.bookingHorizonDays.unwrap().optional(),
  lateCancelWindowMinutes: settings.lateCancelWindowMinutes.unwrap().optional(),
  noShowGraceMinutes: settings.noShowGraceMinutes.unwrap().optional(),
  maxRecalls: settings.maxRecalls.unwrap().optional(),
});

const NewClinicInput = z.strictObject({
  name: Clinic.shape.name,
  timeZone: TimeZone,
  address: Clinic.shape.address,
  settings: ClinicSettingsInput.optional(),
  openingHours: z.array(WeeklyHours).max(MAX_WEEKLY_INTERVALS).optional(),
});

const ClinicChangesInput = NewClinicInput.partial().extend({
  expectedVersion: ExpectedVersionArgument,
});

const serviceType = ServiceType.shape;
const NewServiceTypeInput = z.strictObject({
  name: serviceType.name,
  durationMinutes: serviceType.durationMinutes,
  bufferBeforeMinutes: serviceType.bufferBeforeMinutes.unwrap().optional(),
  bufferAfterMinutes: serviceType.bufferAfterMinutes.unwrap().optional(),
  active: serviceType.active.unwrap().optional(),
});

const ServiceTypeChangesInput = NewServiceTypeInput.partial().extend({
  expectedVersion: ExpectedVersionArgument,
});

/** Argument schemas of each `ClinicService` method, keyed by method name. */
export const clinicArguments = {
  create: z.object({ actor: ActorSchema, input: NewClinicInput }),
  byId: z.object({ actor: ActorSchema, id: ClinicId }),
  list: z.object({ actor: ActorSchema, page: PageRequestArgument }),
  update: z.object({ actor: ActorSchema, id: ClinicId, changes: ClinicChangesInput }),
  addServiceType: z.object({ actor: ActorSchema, clinicId: ClinicId, input: NewServiceTypeInput }),
  updateServiceType: z.object({
    actor: ActorSchema,
    id: ServiceTypeId,
    changes: ServiceTypeChangesInput,
  }),
  listServiceTypes: z.object({ actor: ActorSchema, clinicId: ClinicId, page: PageRequestArgument }),
};
