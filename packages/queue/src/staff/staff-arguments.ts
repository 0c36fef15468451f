/**
 * The argument schemas of the staff service, built from core's `Staff` and `Schedule` schemas.
 * Changes leave out the defaults of those schemas, so a field the caller did not send keeps its
 * stored value.
 *
 * @internal
 * @packageDocumentation
 */
import { z } from 'zod';
import { ActorSchema, ClinicId, Schedule, Staff, STAFF_ROLES, StaffId } from '@carequeue/core';
import {
  ClinicIdsArgument,
  ExpectedVersionArgument,
  PageRequestArgument,
} from '../arguments/common-arguments.js';

const staff = Staff.shape;

/** Roles of a staff member or an invitation: at least one, each at most once in practice. */
export const StaffRolesArgument = staff.roles.max(STAFF_ROLES.length);

const NewStaffInput = z.strictObject({
  displayName: staff.displayName,
  email: staff.email,
  roles: StaffRolesArgument,
  clinicIds: ClinicIdsArgument,
  userId: staff.userId,
  active: staff.active.unwrap().optional(),
});

const StaffChangesInput = NewStaffInput.partial().extend({
  expectedVersion: ExpectedVersionArgument,
});

const ScheduleInput = z.strictObject({
  timeZone: Schedule.shape.timeZone,
  weeklyHours: Schedule.shape.weeklyHours,
  dateOverrides: Schedule.shape.dateOverrides.unwrap().optional(),
  expectedVersion: ExpectedVersionArgument.optional(),
});

/** Argument schemas of each `StaffService` method, keyed by method name. */
export const staffArguments = {
  create: z.object({ actor: ActorSchema, input: NewStaffInput }),
  byId: z.object({ actor: ActorSchema, id: StaffId }),
  list: z.object({ actor: ActorSchema, page: PageRequestArgument }),
  update: z.object({ actor: ActorSchema, id: StaffId, changes: StaffChangesInput }),
  getSchedule: z.object({ actor: ActorSchema, staffId: StaffId, clinicId: ClinicId }),
  setSchedule: z.object({
    actor: ActorSchema,
    staffId: StaffId,
    clinicId: ClinicId,
    input: ScheduleInput,
  }),
};
