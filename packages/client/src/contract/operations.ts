/**
 * The `/api/v1` operation table: every operation of the CareQueue HTTP API, keyed by its
 * operationId, built from core's schemas. The client, the OpenAPI document and the msw fakes
 * are all derived from it.
 *
 * @packageDocumentation
 */
import {
  Appointment,
  AppointmentId,
  AppointmentStatus,
  AuditReport,
  AuditReportKind,
  AuditTrailEntry,
  AvailableSlot,
  CancellationReason,
  Clinic,
  ClinicId,
  ClinicSettings,
  EntryWaitEstimate,
  InvitationId,
  Patient,
  PatientConsent,
  PatientId,
  QueueEntry,
  QueueEntryId,
  QueueEntryStatus,
  QueueId,
  QueueSummary,
  Schedule,
  ServiceType,
  ServiceTypeId,
  Staff,
  StaffId,
  Tenant,
  TenantId,
  Timestamp,
  UserId,
  Version,
  WaitlistEntry,
  WaitlistStatus,
} from '@carequeue/core';
import { z } from 'zod';
import { examples, exampleIds as ids } from './examples.js';
import { defineOperation } from './operation.js';
import { PageQuery, pageOf } from './page.js';
import {
  DataRequestReceipt,
  Health,
  InvitationView,
  PatientExport,
  QueueAccess,
  QueueEntryView,
  QueuePlace,
  RequestReason,
} from './wire.js';

const page = <T>(item: T) => ({ items: [item], nextCursor: null });
const expectedVersion = { expectedVersion: Version };
const stampFields = {
  id: true,
  tenantId: true,
  createdAt: true,
  updatedAt: true,
  version: true,
} as const;

const NewTenant = Tenant.pick({ name: true, slug: true });
const TenantChanges = Tenant.pick({ name: true, status: true }).partial().extend(expectedVersion);
const NewClinic = Clinic.omit(stampFields).extend({
  settings: ClinicSettings.partial().optional(),
});
const ClinicChanges = NewClinic.partial().extend(expectedVersion);
const NewServiceType = ServiceType.omit({ ...stampFields, clinicId: true });
const ServiceTypeChanges = NewServiceType.partial().extend(expectedVersion);
const StaffChanges = Staff.pick({ displayName: true, roles: true, clinicIds: true, active: true })
  .partial()
  .extend(expectedVersion);
const ScheduleInput = Schedule.pick({
  timeZone: true,
  weeklyHours: true,
  dateOverrides: true,
}).extend({ expectedVersion: Version.optional() });
const NewInvitation = InvitationView.pick({ email: true, roles: true, clinicIds: true });
const AcceptInvitation = z.object({
  token: z.string().min(16).max(512),
  displayName: Staff.shape.displayName,
});
const patientFields = Patient.omit({ ...stampFields, userId: true, consent: true }).shape;
const NewPatient = z.object({
  ...patientFields,
  consent: PatientConsent.omit({ recordedAt: true }),
  clinicIds: z.array(ClinicId).max(100),
});
const PatientChanges = z.object(patientFields).partial().extend(expectedVersion);
const ConsentFlags = PatientConsent.omit({ recordedAt: true });
const PatientSearch = PageQuery.extend({
  clinicId: ClinicId.optional(),
  givenName: Patient.shape.givenName.optional(),
  familyName: Patient.shape.familyName.optional(),
  dateOfBirth: Patient.shape.dateOfBirth.optional(),
  phone: Patient.shape.contact.shape.phone,
  medicalRecordNumber: Patient.shape.medicalRecordNumber,
});
const Rectification = z.object({
  changes: PatientChanges.omit({ expectedVersion: true }),
  reason: RequestReason,
});
const Erasure = z.object({ confirm: z.literal(true), reason: RequestReason });
const SlotQuery = PageQuery.extend({
  serviceTypeId: ServiceTypeId,
  staffId: StaffId.optional(),
  from: Timestamp,
  to: Timestamp,
});
const { start } = Appointment.shape;
const NewBooking = z.object({
  clinicId: ClinicId,
  staffId: StaffId,
  serviceTypeId: ServiceTypeId,
  patientId: PatientId,
  start,
});
const OwnBooking = NewBooking.omit({ patientId: true });
const Reschedule = z.object({ start, staffId: StaffId.optional() });
const Cancel = z.object({ reason: CancellationReason });
const AppointmentQuery = PageQuery.extend({
  from: Timestamp.optional(),
  to: Timestamp.optional(),
  staffId: StaffId.optional(),
  patientId: PatientId.optional(),
  status: AppointmentStatus.optional(),
});
const WaitlistJoin = WaitlistEntry.pick({
  clinicId: true,
  patientId: true,
  serviceTypeId: true,
  staffId: true,
  earliestAt: true,
  latestAt: true,
});
const WalkIn = z.object({
  patientId: PatientId.optional(),
  guestName: QueueEntry.shape.guestName,
  serviceTypeId: ServiceTypeId.optional(),
  priority: QueueEntry.shape.priority.optional(),
});
const AuditTrailQuery = PageQuery.extend({
  patientId: PatientId.optional(),
  userId: UserId.optional(),
  from: Timestamp.optional(),
  to: Timestamp.optional(),
});
const ReportRequest = z.object({
  kind: AuditReportKind,
  from: Timestamp.optional(),
  to: Timestamp.optional(),
  patientId: PatientId.optional(),
  userId: UserId.optional(),
});

const tenantParams = z.object({ tenantId: TenantId });
const clinicParams = z.object({ clinicId: ClinicId });
const serviceTypeParams = z.object({ serviceTypeId: ServiceTypeId });
const staffParams = z.object({ staffId: StaffId });
const scheduleParams = z.object({ clinicId: ClinicId, staffId: StaffId });
const invitationParams = z.object({ invitationId: InvitationId });
const patientParams = z.object({ patientId: PatientId });
const appointmentParams = z.object({ appointmentId: AppointmentId });
const waitlistParams = z.object({ waitlistEntryId: z.uuid() });
const queueParams = z.object({ clinicId: ClinicId, queueId: QueueId });
const entryParams = z.object({ entryId: QueueEntryId });

const clinicExample = { clinicId: ids.clinicId };
const entryExample = { entryId: ids.entryId };
const appointmentExample = { appointmentId: ids.appointmentId };
const queueExample = { clinicId: ids.clinicId, queueId: ids.queueId };
const receipt = (kind: 'rectification' | 'erasure') => ({
  requestId: ids.requestId,
  kind,
  status: 'received',
  receivedAt: '2026-03-02T08:00:00.000Z',
});

/** A staff action on one queue entry: POST with no body, the entry answered. */
function entryAction<const S extends string>(action: S, summary: string) {
  return defineOperation({
    method: 'POST',
    path: `/api/v1/queue-entries/{entryId}/${action}`,
    tag: 'queues',
    summary,
    params: entryParams,
    status: 200,
    response: QueueEntryView,
    errors: [404, 409],
    example: { params: entryExample, response: examples.queueEntry },
  });
}

/**
 * Every `/api/v1` operation, keyed by operationId (also the client's method name).
 *
 * @example
 * ```ts
 * const { method, path } = operations.getClinic; // 'GET', '/api/v1/clinics/{clinicId}'
 * ```
 */
export const operations = {
  listTenants: defineOperation({
    method: 'GET',
    path: '/api/v1/tenants',
    tag: 'tenants',
    summary: 'List tenants',
    description: 'Service role only.',
    query: PageQuery,
    status: 200,
    response: pageOf(Tenant),
    errors: [],
    pagination: 'query',
    example: { query: { limit: 50 }, response: page(examples.tenant) },
  }),
  createTenant: defineOperation({
    method: 'POST',
    path: '/api/v1/tenants',
    tag: 'tenants',
    summary: 'Provision a tenant',
    description: 'Service role only.',
    body: NewTenant,
    status: 201,
    response: Tenant,
    errors: [409],
    example: { body: { name: 'Northside Health', slug: 'northside' }, response: examples.tenant },
  }),
  getTenant: defineOperation({
    method: 'GET',
    path: '/api/v1/tenants/{tenantId}',
    tag: 'tenants',
    summary: 'Read a tenant',
    description: 'Service role only.',
    params: tenantParams,
    status: 200,
    response: Tenant,
    errors: [404],
    example: { params: { tenantId: ids.tenantId }, response: examples.tenant },
  }),
  updateTenant: defineOperation({
    method: 'PATCH',
    path: '/api/v1/tenants/{tenantId}',
    tag: 'tenants',
    summary: 'Rename, suspend or reactivate a tenant',
    description: 'Service role only.',
    params: tenantParams,
    body: TenantChanges,
    status: 200,
    response: Tenant,
    errors: [404, 409],
    example: {
      params: { tenantId: ids.tenantId },
      body: { status: 'active', expectedVersion: 1 },
      response: examples.tenant,
    },
  }),

  listClinics: defineOperation({
    method: 'GET',
    path: '/api/v1/clinics',
    tag: 'clinics',
    summary: 'List the clinics of the tenant',
    query: PageQuery,
    status: 200,
    response: pageOf(Clinic),
    errors: [],
    pagination: 'query',
    example: { query: { limit: 50 }, response: page(examples.clinic) },
  }),
  createClinic: defineOperation({
    method: 'POST',
    path: '/api/v1/clinics',
    tag: 'clinics',
    summary: 'Create a clinic',
    body: NewClinic,
    status: 201,
    response: Clinic,
    errors: [409],
    example: {
      body: { name: 'Northside Family Clinic', timeZone: 'Europe/Berlin' },
      response: examples.clinic,
    },
  }),
  getClinic: defineOperation({
    method: 'GET',
    path: '/api/v1/clinics/{clinicId}',
    tag: 'clinics',
    summary: 'Read a clinic',
    params: clinicParams,
    status: 200,
    response: Clinic,
    errors: [404],
    example: { params: clinicExample, response: examples.clinic },
  }),
  updateClinic: defineOperation({
    method: 'PATCH',
    path: '/api/v1/clinics/{clinicId}',
    tag: 'clinics',
    summary: 'Change a clinic or its settings',
    params: clinicParams,
    body: ClinicChanges,
    status: 200,
    response: Clinic,
    errors: [404, 409],
    example: {
      params: clinicExample,
      body: { settings: { walkInsEnabled: false }, expectedVersion: 1 },
      response: examples.clinic,
    },
  }),

  listServiceTypes: defineOperation({
    method: 'GET',
    path: '/api/v1/clinics/{clinicId}/service-types',
    tag: 'service types',
    summary: 'List the service types of a clinic',
    params: clinicParams,
    query: PageQuery,
    status: 200,
    response: pageOf(ServiceType),
    errors: [404],
    pagination: 'query',
    example: { params: clinicExample, query: {}, response: page(examples.serviceType) },
  }),
  createServiceType: defineOperation({
    method: 'POST',
    path: '/api/v1/clinics/{clinicId}/service-types',
    tag: 'service types',
    summary: 'Create a service type at a clinic',
    params: clinicParams,
    body: NewServiceType,
    status: 201,
    response: ServiceType,
    errors: [404, 409],
    example: {
      params: clinicExample,
      body: { name: 'Consultation', durationMinutes: 15 },
      response: examples.serviceType,
    },
  }),
  getServiceType: defineOperation({
    method: 'GET',
    path: '/api/v1/service-types/{serviceTypeId}',
    tag: 'service types',
    summary: 'Read a service type',
    params: serviceTypeParams,
    status: 200,
    response: ServiceType,
    errors: [404],
    example: { params: { serviceTypeId: ids.serviceTypeId }, response: examples.serviceType },
  }),
  updateServiceType: defineOperation({
    method: 'PATCH',
    path: '/api/v1/service-types/{serviceTypeId}',
    tag: 'service types',
    summary: 'Change or retire a service type',
    params: serviceTypeParams,
    body: ServiceTypeChanges,
    status: 200,
    response: ServiceType,
    errors: [404, 409],
    example: {
      params: { serviceTypeId: ids.serviceTypeId },
      body: { active: false, expectedVersion: 1 },
      response: examples.serviceType,
    },
  }),

  listStaff: defineOperation({
    method: 'GET',
    path: '/api/v1/staff',
    tag: 'staff',
    summary: 'List staff members',
    query: PageQuery.extend({ clinicId: ClinicId.optional() }),
    status: 200,
    response: pageOf(Staff),
    errors: [],
    pagination: 'query',
    example: { query: { clinicId: ids.clinicId }, response: page(examples.staff) },
  }),
  getStaff: defineOperation({
    method: 'GET',
    path: '/api/v1/staff/{staffId}',
    tag: 'staff',
    summary: 'Read a staff member',
    params: staffParams,
    status: 200,
    response: Staff,
    errors: [404],
    example: { params: { staffId: ids.staffId }, response: examples.staff },
  }),
  updateStaff: defineOperation({
    method: 'PATCH',
    path: '/api/v1/staff/{staffId}',
    tag: 'staff',
    summary: "Change a staff member's roles, clinics or status",
    params: staffParams,
    body: StaffChanges,
    status: 200,
    response: Staff,
    errors: [404, 409],
    example: {
      params: { staffId: ids.staffId },
      body: { active: false, expectedVersion: 1 },
      response: examples.staff,
    },
  }),
  getSchedule: defineOperation({
    method: 'GET',
    path: '/api/v1/clinics/{clinicId}/staff/{staffId}/schedule',
    tag: 'staff',
    summary: "Read a staff member's working hours at a clinic",
    params: scheduleParams,
    status: 200,
    response: Schedule,
    errors: [404],
    example: {
      params: { clinicId: ids.clinicId, staffId: ids.staffId },
      response: examples.schedule,
    },
  }),
  putSchedule: defineOperation({
    method: 'PUT',
    path: '/api/v1/clinics/{clinicId}/staff/{staffId}/schedule',
    tag: 'staff',
    summary: "Replace a staff member's working hours at a clinic",
    params: scheduleParams,
    body: ScheduleInput,
    status: 200,
    response: Schedule,
    errors: [404, 409],
    example: {
      params: { clinicId: ids.clinicId, staffId: ids.staffId },
      body: {
        timeZone: 'Europe/Berlin',
        weeklyHours: examples.schedule.weeklyHours,
        dateOverrides: [],
      },
      response: examples.schedule,
    },
  }),

  listInvitations: defineOperation({
    method: 'GET',
    path: '/api/v1/invitations',
    tag: 'invitations',
    summary: 'List staff invitations',
    query: PageQuery,
    status: 200,
    response: pageOf(InvitationView),
    errors: [],
    pagination: 'query',
    example: { query: {}, response: page(examples.invitation) },
  }),
  createInvitation: defineOperation({
    method: 'POST',
    path: '/api/v1/invitations',
    tag: 'invitations',
    summary: 'Invite a staff member by email',
    body: NewInvitation,
    status: 201,
    response: InvitationView,
    errors: [409],
    example: {
      body: {
        email: examples.invitation.email,
        roles: examples.invitation.roles,
        clinicIds: [ids.clinicId],
      },
      response: examples.invitation,
    },
  }),
  revokeInvitation: defineOperation({
    method: 'POST',
    path: '/api/v1/invitations/{invitationId}/revoke',
    tag: 'invitations',
    summary: 'Revoke a pending invitation',
    params: invitationParams,
    status: 200,
    response: InvitationView,
    errors: [404, 409],
    example: {
      params: { invitationId: ids.invitationId },
      response: { ...examples.invitation, status: 'revoked' },
    },
  }),
  acceptInvitation: defineOperation({
    method: 'POST',
    path: '/api/v1/invitations/accept',
    tag: 'invitations',
    summary: 'Accept an invitation with its emailed token',
    description: 'The token travels in the body, never in a URL.',
    body: AcceptInvitation,
    status: 200,
    response: Staff,
    errors: [404, 410],
    example: {
      body: { token: 'inv_4f1c2a9be0d34c6f8a71', displayName: 'Sam Receptionist' },
      response: examples.staff,
    },
  }),

  listPatients: defineOperation({
    method: 'GET',
    path: '/api/v1/patients',
    tag: 'patients',
    summary: 'List patients of a clinic',
    query: PageQuery.extend({ clinicId: ClinicId.optional() }),
    status: 200,
    response: pageOf(Patient),
    errors: [],
    pagination: 'query',
    example: { query: { clinicId: ids.clinicId }, response: page(examples.patient) },
  }),
  createPatient: defineOperation({
    method: 'POST',
    path: '/api/v1/patients',
    tag: 'patients',
    summary: 'Register a patient',
    body: NewPatient,
    status: 201,
    response: Patient,
    errors: [409],
    example: {
      body: {
        givenName: 'Alex',
        familyName: 'Example',
        dateOfBirth: '1980-01-31',
        contact: { phone: '+14155550100' },
        consent: { sms: true, email: false, dataProcessing: true },
        clinicIds: [ids.clinicId],
      },
      response: examples.patient,
    },
  }),
  searchPatients: defineOperation({
    method: 'POST',
    path: '/api/v1/patients/search',
    tag: 'patients',
    summary: 'Search patients by name, date of birth, phone or record number',
    description:
      'The criteria are direct identifiers, so they travel in the body and are matched by blind index.',
    body: PatientSearch,
    status: 200,
    response: pageOf(Patient),
    errors: [],
    pagination: 'body',
    example: {
      body: { familyName: 'Example', dateOfBirth: '1980-01-31', limit: 20 },
      response: page(examples.patient),
    },
  }),
  getPatient: defineOperation({
    method: 'GET',
    path: '/api/v1/patients/{patientId}',
    tag: 'patients',
    summary: 'Read a patient',
    params: patientParams,
    status: 200,
    response: Patient,
    errors: [404],
    example: { params: { patientId: ids.patientId }, response: examples.patient },
  }),
  updatePatient: defineOperation({
    method: 'PATCH',
    path: '/api/v1/patients/{patientId}',
    tag: 'patients',
    summary: "Change a patient's details",
    params: patientParams,
    body: PatientChanges,
    status: 200,
    response: Patient,
    errors: [404, 409],
    example: {
      params: { patientId: ids.patientId },
      body: { contact: { phone: '+14155550101' }, expectedVersion: 1 },
      response: examples.patient,
    },
  }),
  recordPatientConsent: defineOperation({
    method: 'PUT',
    path: '/api/v1/patients/{patientId}/consent',
    tag: 'patients',
    summary: "Record a patient's consent",
    params: patientParams,
    body: ConsentFlags,
    status: 200,
    response: Patient,
    errors: [404],
    example: {
      params: { patientId: ids.patientId },
      body: { sms: true, email: true, dataProcessing: true },
      response: examples.patient,
    },
  }),
  listPatientAuditTrail: defineOperation({
    method: 'GET',
    path: '/api/v1/patients/{patientId}/audit-trail',
    tag: 'audit',
    summary: "List the accesses to and changes of a patient's record",
    params: patientParams,
    query: PageQuery,
    status: 200,
    response: pageOf(AuditTrailEntry),
    errors: [404],
    pagination: 'query',
    example: { params: { patientId: ids.patientId }, response: page(examples.auditTrailEntry) },
  }),

  getMyPatientRecord: defineOperation({
    method: 'GET',
    path: '/api/v1/me/patient',
    tag: 'my data',
    summary: 'Read the signed-in patient’s own record',
    status: 200,
    response: Patient,
    errors: [404],
    example: { response: examples.patient },
  }),
  exportMyData: defineOperation({
    method: 'POST',
    path: '/api/v1/me/export',
    tag: 'my data',
    summary: 'Export everything held about the signed-in patient',
    status: 200,
    response: PatientExport,
    errors: [404],
    example: {
      response: {
        patient: examples.patient,
        appointments: [examples.appointment],
        queueEntries: [],
        exportedAt: '2026-03-02T08:00:00.000Z',
      },
    },
  }),
  requestRectification: defineOperation({
    method: 'POST',
    path: '/api/v1/me/rectification-requests',
    tag: 'my data',
    summary: 'Ask for the signed-in patient’s record to be corrected',
    body: Rectification,
    status: 202,
    response: DataRequestReceipt,
    errors: [404],
    example: {
      body: { changes: { familyName: 'Sample' }, reason: 'My surname changed.' },
      response: receipt('rectification'),
    },
  }),
  requestErasure: defineOperation({
    method: 'POST',
    path: '/api/v1/me/erasure-requests',
    tag: 'my data',
    summary: 'Ask for the signed-in patient’s data to be erased',
    body: Erasure,
    status: 202,
    response: DataRequestReceipt,
    errors: [404, 409],
    example: { body: { confirm: true }, response: receipt('erasure') },
  }),

  listAvailableSlots: defineOperation({
    method: 'GET',
    path: '/api/v1/clinics/{clinicId}/availability',
    tag: 'availability',
    summary: 'List bookable slots of a service type',
    params: clinicParams,
    query: SlotQuery,
    status: 200,
    response: pageOf(AvailableSlot),
    errors: [404, 422],
    pagination: 'query',
    example: {
      params: clinicExample,
      query: {
        serviceTypeId: ids.serviceTypeId,
        from: '2026-03-02T00:00:00.000Z',
        to: '2026-03-03T00:00:00.000Z',
      },
      response: page(examples.slot),
    },
  }),

  listAppointments: defineOperation({
    method: 'GET',
    path: '/api/v1/clinics/{clinicId}/appointments',
    tag: 'appointments',
    summary: 'List the appointments of a clinic',
    params: clinicParams,
    query: AppointmentQuery,
    status: 200,
    response: pageOf(Appointment),
    errors: [404],
    pagination: 'query',
    example: {
      params: clinicExample,
      query: { from: '2026-03-02T00:00:00.000Z', status: 'booked' },
      response: page(examples.appointment),
    },
  }),
  bookAppointment: defineOperation({
    method: 'POST',
    path: '/api/v1/appointments',
    tag: 'appointments',
    summary: 'Book a slot for a patient',
    description: 'Send an Idempotency-Key: a retry with the same key answers the same booking.',
    body: NewBooking,
    status: 201,
    response: Appointment,
    errors: [404, 409, 422],
    example: {
      body: {
        clinicId: ids.clinicId,
        staffId: ids.staffId,
        serviceTypeId: ids.serviceTypeId,
        patientId: ids.patientId,
        start: '2026-03-02T08:00:00.000Z',
      },
      response: examples.appointment,
    },
  }),
  getAppointment: defineOperation({
    method: 'GET',
    path: '/api/v1/appointments/{appointmentId}',
    tag: 'appointments',
    summary: 'Read an appointment',
    params: appointmentParams,
    status: 200,
    response: Appointment,
    errors: [404],
    example: { params: appointmentExample, response: examples.appointment },
  }),
  cancelAppointment: defineOperation({
    method: 'POST',
    path: '/api/v1/appointments/{appointmentId}/cancel',
    tag: 'appointments',
    summary: 'Cancel an appointment',
    params: appointmentParams,
    body: Cancel,
    status: 200,
    response: Appointment,
    errors: [404, 409],
    example: {
      params: appointmentExample,
      body: { reason: 'clinic-request' },
      response: {
        ...examples.appointment,
        status: 'cancelled',
        cancellationReason: 'clinic-request',
      },
    },
  }),
  rescheduleAppointment: defineOperation({
    method: 'POST',
    path: '/api/v1/appointments/{appointmentId}/reschedule',
    tag: 'appointments',
    summary: 'Move an appointment to another slot',
    params: appointmentParams,
    body: Reschedule,
    status: 200,
    response: Appointment,
    errors: [404, 409, 422],
    example: {
      params: appointmentExample,
      body: { start: '2026-03-02T08:00:00.000Z' },
      response: examples.appointment,
    },
  }),
  createHold: defineOperation({
    method: 'POST',
    path: '/api/v1/holds',
    tag: 'appointments',
    summary: 'Hold a slot for a few minutes while the patient confirms',
    body: NewBooking,
    status: 201,
    response: Appointment,
    errors: [404, 409, 422],
    example: {
      body: {
        clinicId: ids.clinicId,
        staffId: ids.staffId,
        serviceTypeId: ids.serviceTypeId,
        patientId: ids.patientId,
        start: '2026-03-02T08:00:00.000Z',
      },
      response: {
        ...examples.appointment,
        status: 'pending',
        holdExpiresAt: '2026-03-01T08:10:00.000Z',
      },
    },
  }),
  confirmHold: defineOperation({
    method: 'POST',
    path: '/api/v1/holds/{appointmentId}/confirm',
    tag: 'appointments',
    summary: 'Confirm a held slot as a booking',
    params: appointmentParams,
    status: 200,
    response: Appointment,
    errors: [404, 409, 410],
    example: { params: appointmentExample, response: examples.appointment },
  }),
  listMyAppointments: defineOperation({
    method: 'GET',
    path: '/api/v1/me/appointments',
    tag: 'my appointments',
    summary: 'List the signed-in patient’s appointments',
    query: PageQuery,
    status: 200,
    response: pageOf(Appointment),
    errors: [],
    pagination: 'query',
    example: { query: {}, response: page(examples.appointment) },
  }),
  bookMyAppointment: defineOperation({
    method: 'POST',
    path: '/api/v1/me/appointments',
    tag: 'my appointments',
    summary: 'Book a slot found in availability for the signed-in patient',
    body: OwnBooking,
    status: 201,
    response: Appointment,
    errors: [404, 409, 422],
    example: {
      body: {
        clinicId: ids.clinicId,
        staffId: ids.staffId,
        serviceTypeId: ids.serviceTypeId,
        start: '2026-03-02T08:00:00.000Z',
      },
      response: examples.appointment,
    },
  }),
  cancelMyAppointment: defineOperation({
    method: 'POST',
    path: '/api/v1/me/appointments/{appointmentId}/cancel',
    tag: 'my appointments',
    summary: 'Cancel one of the signed-in patient’s appointments',
    params: appointmentParams,
    status: 200,
    response: Appointment,
    errors: [404, 409],
    example: {
      params: appointmentExample,
      response: {
        ...examples.appointment,
        status: 'cancelled',
        cancellationReason: 'patient-request',
      },
    },
  }),
  rescheduleMyAppointment: defineOperation({
    method: 'POST',
    path: '/api/v1/me/appointments/{appointmentId}/reschedule',
    tag: 'my appointments',
    summary: 'Move one of the signed-in patient’s appointments',
    params: appointmentParams,
    body: Reschedule,
    status: 200,
    response: Appointment,
    errors: [404, 409, 422],
    example: {
      params: appointmentExample,
      body: { start: '2026-03-02T08:00:00.000Z' },
      response: examples.appointment,
    },
  }),

  joinWaitlist: defineOperation({
    method: 'POST',
    path: '/api/v1/waitlist',
    tag: 'waitlist',
    summary: 'Ask to be offered a freed slot',
    body: WaitlistJoin,
    status: 201,
    response: WaitlistEntry,
    errors: [404, 409],
    example: {
      body: { clinicId: ids.clinicId, patientId: ids.patientId, serviceTypeId: ids.serviceTypeId },
      response: examples.waitlistEntry,
    },
  }),
  listWaitlist: defineOperation({
    method: 'GET',
    path: '/api/v1/clinics/{clinicId}/waitlist',
    tag: 'waitlist',
    summary: 'List the waitlist of a clinic',
    params: clinicParams,
    query: PageQuery.extend({ status: WaitlistStatus.optional() }),
    status: 200,
    response: pageOf(WaitlistEntry),
    errors: [404],
    pagination: 'query',
    example: {
      params: clinicExample,
      query: { status: 'waiting' },
      response: page(examples.waitlistEntry),
    },
  }),
  getWaitlistEntry: defineOperation({
    method: 'GET',
    path: '/api/v1/waitlist/{waitlistEntryId}',
    tag: 'waitlist',
    summary: 'Read a waitlist entry',
    params: waitlistParams,
    status: 200,
    response: WaitlistEntry,
    errors: [404],
    example: {
      params: { waitlistEntryId: ids.waitlistEntryId },
      response: examples.waitlistEntry,
    },
  }),
  cancelWaitlistEntry: defineOperation({
    method: 'POST',
    path: '/api/v1/waitlist/{waitlistEntryId}/cancel',
    tag: 'waitlist',
    summary: 'Withdraw from the waitlist',
    params: waitlistParams,
    status: 200,
    response: WaitlistEntry,
    errors: [404, 409],
    example: {
      params: { waitlistEntryId: ids.waitlistEntryId },
      response: { ...examples.waitlistEntry, status: 'cancelled' },
    },
  }),

  getQueueSummary: defineOperation({
    method: 'GET',
    path: '/api/v1/clinics/{clinicId}/queues/{queueId}/summary',
    tag: 'queues',
    summary: 'Read the state of a line for screens',
    params: queueParams,
    status: 200,
    response: QueueSummary,
    errors: [404],
    example: { params: queueExample, response: examples.queueSummary },
  }),
  listQueueEntries: defineOperation({
    method: 'GET',
    path: '/api/v1/clinics/{clinicId}/queues/{queueId}/entries',
    tag: 'queues',
    summary: 'List the entries of a line, in order',
    params: queueParams,
    query: PageQuery.extend({ status: QueueEntryStatus.optional() }),
    status: 200,
    response: pageOf(QueueEntryView),
    errors: [404],
    pagination: 'query',
    example: { params: queueExample, query: {}, response: page(examples.queueEntry) },
  }),
  checkInWalkIn: defineOperation({
    method: 'POST',
    path: '/api/v1/clinics/{clinicId}/queues/{queueId}/entries',
    tag: 'queues',
    summary: 'Check a walk-in into a line',
    params: queueParams,
    body: WalkIn,
    status: 201,
    response: QueueEntryView,
    errors: [404, 409],
    example: {
      params: queueExample,
      body: { patientId: ids.patientId },
      response: examples.queueEntry,
    },
  }),
  checkInAppointment: defineOperation({
    method: 'POST',
    path: '/api/v1/appointments/{appointmentId}/check-in',
    tag: 'queues',
    summary: 'Check a booked patient into a line on arrival',
    params: appointmentParams,
    body: z.object({ queueId: QueueId }),
    status: 201,
    response: QueueEntryView,
    errors: [404, 409],
    example: {
      params: appointmentExample,
      body: { queueId: ids.queueId },
      response: { ...examples.queueEntry, source: 'appointment', appointmentId: ids.appointmentId },
    },
  }),
  callNext: defineOperation({
    method: 'POST',
    path: '/api/v1/clinics/{clinicId}/queues/{queueId}/call-next',
    tag: 'queues',
    summary: 'Call the next patient of a line to a counter',
    params: queueParams,
    body: z.object({ counter: QueueEntry.shape.counter }),
    status: 200,
    response: z.object({ entry: QueueEntryView.nullable() }),
    errors: [404, 409],
    example: {
      params: queueExample,
      body: { counter: 'Desk 2' },
      response: { entry: { ...examples.queueEntry, status: 'called', counter: 'Desk 2' } },
    },
  }),
  getQueueEntry: defineOperation({
    method: 'GET',
    path: '/api/v1/queue-entries/{entryId}',
    tag: 'queues',
    summary: 'Read a queue entry',
    params: entryParams,
    status: 200,
    response: QueueEntryView,
    errors: [404],
    example: { params: entryExample, response: examples.queueEntry },
  }),
  getWaitEstimate: defineOperation({
    method: 'GET',
    path: '/api/v1/queue-entries/{entryId}/estimate',
    tag: 'queues',
    summary: 'Estimate the wait of a queue entry',
    params: entryParams,
    status: 200,
    response: EntryWaitEstimate,
    errors: [404, 409],
    example: {
      params: entryExample,
      response: { entryId: ids.entryId, position: 3, ...examples.waitEstimate },
    },
  }),
  triageQueueEntry: defineOperation({
    ...entryAction('triage', 'Change the priority of a waiting entry'),
    body: z.object({ priority: QueueEntry.shape.priority.unwrap() }),
    example: { params: entryExample, body: { priority: 10 }, response: examples.queueEntry },
  }),
  recallQueueEntry: entryAction('recall', 'Call a called patient again'),
  markQueueEntryNoShow: entryAction('no-show', 'Mark a called patient as not present'),
  stepAwayQueueEntry: entryAction('step-away', 'Keep the place of a patient who steps away'),
  returnQueueEntry: entryAction('return', 'Put a patient who stepped away back in line'),
  startQueueEntryService: entryAction('start-service', 'Start serving a called patient'),
  completeQueueEntry: entryAction('complete', 'Finish serving a patient'),
  cancelQueueEntry: entryAction('cancel', 'Take an entry out of the line'),
  transferQueueEntry: defineOperation({
    ...entryAction('transfer', 'Move a patient in service to another line'),
    body: z.object({ queueId: QueueId }),
    example: {
      params: entryExample,
      body: { queueId: ids.queueId },
      response: examples.queueEntry,
    },
  }),

  exchangeQueueLink: defineOperation({
    method: 'POST',
    path: '/api/v1/queue-links/exchange',
    tag: 'my queue place',
    summary: 'Exchange a queue link token for short-lived access to that place',
    description:
      'The token from the text message travels in the body, never in a URL; the answer is the bearer token of the other "my queue place" operations.',
    body: z.object({ token: z.string().min(16).max(512) }),
    status: 200,
    response: QueueAccess,
    errors: [404, 410],
    example: {
      body: { token: 'qlt_8d2f0c4e6a1b4f9e9c3d' },
      response: {
        accessToken: 'qat_5e7b1d9c3a2f4e6b8d0c',
        entryId: ids.entryId,
        expiresAt: '2026-03-02T12:00:00.000Z',
      },
    },
  }),
  getMyQueuePlace: defineOperation({
    method: 'GET',
    path: '/api/v1/me/queue-place',
    tag: 'my queue place',
    summary: 'Read the patient’s own place in line, with the wait estimate',
    status: 200,
    response: QueuePlace,
    errors: [404, 410],
    example: {
      response: {
        entryId: ids.entryId,
        clinicId: ids.clinicId,
        queueId: ids.queueId,
        ticket: 'A012',
        status: 'waiting',
        position: 3,
        estimate: examples.waitEstimate,
      },
    },
  }),
  leaveMyQueuePlace: defineOperation({
    method: 'POST',
    path: '/api/v1/me/queue-place/leave',
    tag: 'my queue place',
    summary: 'Leave the line',
    status: 200,
    response: QueuePlace,
    errors: [404, 409, 410],
    example: {
      response: {
        entryId: ids.entryId,
        clinicId: ids.clinicId,
        queueId: ids.queueId,
        ticket: 'A012',
        status: 'left',
      },
    },
  }),

  streamEvents: defineOperation({
    method: 'GET',
    path: '/api/v1/events',
    tag: 'events',
    summary: 'Stream queue events as server-sent events',
    description:
      'One multiplexed stream per client. Resume with Last-Event-ID; heartbeats every 20 seconds.',
    query: z.object({
      clinicId: ClinicId.optional(),
      queueId: z.array(QueueId).max(50).optional(),
    }),
    status: 200,
    errors: [],
    stream: true,
    example: { query: { queueId: [ids.queueId] } },
  }),

  listAuditTrail: defineOperation({
    method: 'GET',
    path: '/api/v1/audit/events',
    tag: 'audit',
    summary: 'List audit events of the tenant',
    query: AuditTrailQuery,
    status: 200,
    response: pageOf(AuditTrailEntry),
    errors: [],
    pagination: 'query',
    example: { query: { userId: ids.userId }, response: page(examples.auditTrailEntry) },
  }),
  createAuditReport: defineOperation({
    method: 'POST',
    path: '/api/v1/audit/reports',
    tag: 'audit',
    summary: 'Produce an audit report (patient access, disclosures, security, ...)',
    body: ReportRequest,
    status: 200,
    response: AuditReport,
    errors: [404, 422],
    example: {
      body: { kind: 'patient-access', patientId: ids.patientId },
      response: examples.auditReport,
    },
  }),

  getHealth: defineOperation({
    method: 'GET',
    path: '/api/v1/health',
    tag: 'health',
    summary: 'Check that the API is alive',
    status: 200,
    response: Health,
    errors: [],
    example: { response: { status: 'ok', version: 'v1', checks: {} } },
  }),
  getReadiness: defineOperation({
    method: 'GET',
    path: '/api/v1/health/ready',
    tag: 'health',
    summary: 'Check that the API and its dependencies can serve requests',
    status: 200,
    response: Health,
    errors: [],
    example: { response: { status: 'ok', version: 'v1', checks: { database: 'ok' } } },
  }),
} as const;

/**
 * The operationId of any `/api/v1` operation.
 *
 * @example
 * ```ts
 * const id: OperationId = 'bookAppointment';
 * ```
 */
export type OperationId = keyof typeof operations;
