import {
  ClinicId,
  InvitationId,
  PatientId,
  ServiceTypeId,
  StaffId,
  TenantId,
  UserId,
  type Clinic,
  type ClinicSettings,
  type DateOverride,
  type Invitation,
  type PatientAddress,
  type PatientConsent,
  type Schedule,
  type ServiceType,
  type Staff,
  type StaffRole,
  type WeeklyHours,
} from '@carequeue/core';
import type { StoredClinic } from '../clinics/index.js';
import type { StoredPatient } from '../patients/index.js';
import { definedOnly, isoTimestamp, optionalTimestamp } from './sql-values.js';
import type { TenantTableMapping } from './tenant-table.js';

// Rows of the queue schema, column names as keys. PostgREST sends and receives them with
// timestamps as ISO strings, arrays as JSON arrays and jsonb as JSON (the default `Timestamp`);
// the SQL drivers return the same rows with timestamps as `Date` (`Timestamp` = `unknown`). One
// `…FromRow` mapping serves both, so the model a row becomes cannot differ between adapters.

/** A `queue.clinics` row. */
export interface ClinicRow<Timestamp = string> {
  id: string;
  tenant_id: string;
  name: string;
  time_zone: string;
  address: Clinic['address'] | null;
  settings: ClinicSettings;
  opening_hours: readonly WeeklyHours[];
  created_at: Timestamp;
  updated_at: Timestamp;
  version: number;
}

/** The columns of a {@link ClinicRow}, for `select`. */
export const CLINIC_COLUMNS =
  'id,tenant_id,name,time_zone,address,settings,opening_hours,created_at,updated_at,version';

/** A clinic from its row. */
export function clinicFromRow(row: ClinicRow<unknown>): StoredClinic {
  return definedOnly({
    id: ClinicId.parse(row.id),
    tenantId: TenantId.parse(row.tenant_id),
    name: row.name,
    timeZone: row.time_zone,
    address: row.address ?? undefined,
    settings: row.settings,
    openingHours: row.opening_hours,
    createdAt: isoTimestamp(row.created_at),
    updatedAt: isoTimestamp(row.updated_at),
    version: row.version,
  });
}

/** The row of a clinic. */
export function clinicToRow(clinic: StoredClinic): ClinicRow {
  return {
    id: clinic.id,
    tenant_id: clinic.tenantId,
    name: clinic.name,
    time_zone: clinic.timeZone,
    address: clinic.address ?? null,
    settings: clinic.settings,
    opening_hours: clinic.openingHours,
    created_at: clinic.createdAt,
    updated_at: clinic.updatedAt,
    version: clinic.version,
  };
}

/** How clinics map onto `queue.clinics`, for the SQL and Supabase adapters. */
export const CLINIC_TABLE: TenantTableMapping<ClinicRow, StoredClinic> = {
  table: 'clinics',
  columns: CLINIC_COLUMNS,
  resource: 'clinic',
  fromRow: clinicFromRow,
  toRow: clinicToRow,
  jsonColumns: ['address', 'settings', 'opening_hours'],
};

/** A `queue.service_types` row. */
export interface ServiceTypeRow<Timestamp = string> {
  id: string;
  tenant_id: string;
  clinic_id: string;
  name: string;
  duration_minutes: number;
  buffer_before_minutes: number;
  buffer_after_minutes: number;
  active: boolean;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: number;
}

/** The columns of a {@link ServiceTypeRow}, for `select`. */
export const SERVICE_TYPE_COLUMNS =
  'id,tenant_id,clinic_id,name,duration_minutes,buffer_before_minutes,buffer_after_minutes,active,created_at,updated_at,version';

/** A service type from its row. */
export function serviceTypeFromRow(row: ServiceTypeRow<unknown>): ServiceType {
  return {
    id: ServiceTypeId.parse(row.id),
    tenantId: TenantId.parse(row.tenant_id),
    clinicId: ClinicId.parse(row.clinic_id),
    name: row.name,
    durationMinutes: row.duration_minutes,
    bufferBeforeMinutes: row.buffer_before_minutes,
    bufferAfterMinutes: row.buffer_after_minutes,
    active: row.active,
    createdAt: isoTimestamp(row.created_at),
    updatedAt: isoTimestamp(row.updated_at),
    version: row.version,
  };
}

/** The row of a service type. */
export function serviceTypeToRow(serviceType: ServiceType): ServiceTypeRow {
  return {
    id: serviceType.id,
    tenant_id: serviceType.tenantId,
    clinic_id: serviceType.clinicId,
    name: serviceType.name,
    duration_minutes: serviceType.durationMinutes,
    buffer_before_minutes: serviceType.bufferBeforeMinutes,
    buffer_after_minutes: serviceType.bufferAfterMinutes,
    active: serviceType.active,
    created_at: serviceType.createdAt,
    updated_at: serviceType.updatedAt,
    version: serviceType.version,
  };
}

/** How service types map onto `queue.service_types`, for the SQL and Supabase adapters. */
export const SERVICE_TYPE_TABLE: TenantTableMapping<ServiceTypeRow, ServiceType> = {
  table: 'service_types',
  columns: SERVICE_TYPE_COLUMNS,
  resource: 'service type',
  fromRow: serviceTypeFromRow,
  toRow: serviceTypeToRow,
};

/** A `queue.staff` row. */
export interface StaffRow<Timestamp = string> {
  id: string;
  tenant_id: string;
  user_id: string | null;
  display_name: string;
  email: string;
  roles: readonly StaffRole[];
  clinic_ids: readonly string[];
  active: boolean;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: number;
}

/** The columns of a {@link StaffRow}, for `select`. */
export const STAFF_COLUMNS =
  'id,tenant_id,user_id,display_name,email,roles,clinic_ids,active,created_at,updated_at,version';

/** A staff member from its row. */
export function staffFromRow(row: StaffRow<unknown>): Staff {
  return definedOnly({
    id: StaffId.parse(row.id),
    tenantId: TenantId.parse(row.tenant_id),
    userId: row.user_id === null ? undefined : UserId.parse(row.user_id),
    displayName: row.display_name,
    email: row.email,
    roles: [...row.roles],
    clinicIds: row.clinic_ids.map((id) => ClinicId.parse(id)),
    active: row.active,
    createdAt: isoTimestamp(row.created_at),
    updatedAt: isoTimestamp(row.updated_at),
    version: row.version,
  });
}

/** The row of a staff member. */
export function staffToRow(staff: Staff): StaffRow {
  return {
    id: staff.id,
    tenant_id: staff.tenantId,
    user_id: staff.userId ?? null,
    display_name: staff.displayName,
    email: staff.email,
    roles: staff.roles,
    clinic_ids: staff.clinicIds,
    active: staff.active,
    created_at: staff.createdAt,
    updated_at: staff.updatedAt,
    version: staff.version,
  };
}

/** How staff members map onto `queue.staff`, for the SQL and Supabase adapters. */
export const STAFF_TABLE: TenantTableMapping<StaffRow, Staff> = {
  table: 'staff',
  columns: STAFF_COLUMNS,
  resource: 'staff member',
  fromRow: staffFromRow,
  toRow: staffToRow,
  readAs: { clinic_ids: 'clinic_ids::text[]' },
};

/** A `queue.invitations` row. */
export interface InvitationRow<Timestamp = string> {
  id: string;
  tenant_id: string;
  email: string;
  roles: readonly StaffRole[];
  clinic_ids: readonly string[];
  status: Invitation['status'];
  token_hash: string;
  invited_by: string;
  expires_at: Timestamp;
  accepted_at: Timestamp | null;
  staff_id: string | null;
  created_at: Timestamp;
  version: number;
}

/** The columns of an {@link InvitationRow}, for `select`. */
export const INVITATION_COLUMNS =
  'id,tenant_id,email,roles,clinic_ids,status,token_hash,invited_by,expires_at,accepted_at,staff_id,created_at,version';

/** An invitation from its row. */
export function invitationFromRow(row: InvitationRow<unknown>): Invitation {
  return definedOnly({
    id: InvitationId.parse(row.id),
    tenantId: TenantId.parse(row.tenant_id),
    email: row.email,
    roles: [...row.roles],
    clinicIds: row.clinic_ids.map((id) => ClinicId.parse(id)),
    status: row.status,
    tokenHash: row.token_hash,
    invitedBy: UserId.parse(row.invited_by),
    expiresAt: isoTimestamp(row.expires_at),
    acceptedAt: optionalTimestamp(row.accepted_at),
    staffId: row.staff_id === null ? undefined : StaffId.parse(row.staff_id),
    createdAt: isoTimestamp(row.created_at),
    version: row.version,
  });
}

/** The row of an invitation. */
export function invitationToRow(invitation: Invitation): InvitationRow {
  return {
    id: invitation.id,
    tenant_id: invitation.tenantId,
    email: invitation.email,
    roles: invitation.roles,
    clinic_ids: invitation.clinicIds,
    status: invitation.status,
    token_hash: invitation.tokenHash,
    invited_by: invitation.invitedBy,
    expires_at: invitation.expiresAt,
    accepted_at: invitation.acceptedAt ?? null,
    staff_id: invitation.staffId ?? null,
    created_at: invitation.createdAt,
    version: invitation.version,
  };
}

/** How invitations map onto `queue.invitations`, for the SQL and Supabase adapters. */
export const INVITATION_TABLE: TenantTableMapping<InvitationRow, Invitation> = {
  table: 'invitations',
  columns: INVITATION_COLUMNS,
  resource: 'invitation',
  fromRow: invitationFromRow,
  toRow: invitationToRow,
  readAs: { clinic_ids: 'clinic_ids::text[]' },
};

/** A `queue.patient_records` row (a patient with its clinic registrations). */
export interface PatientRow<Timestamp = string> {
  id: string;
  tenant_id: string;
  user_id: string | null;
  given_name: string;
  family_name: string;
  date_of_birth: string;
  phone: string | null;
  email: string | null;
  preferred_channel: 'sms' | 'email' | 'none';
  address: PatientAddress | null;
  medical_record_number: string | null;
  national_id_ciphertext: string | null;
  national_id_index: string | null;
  notes: string | null;
  consent: PatientConsent;
  erased_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: number;
  clinic_ids: readonly string[];
}

/** The columns of a {@link PatientRow}, for `select`. */
export const PATIENT_COLUMNS =
  'id,tenant_id,user_id,given_name,family_name,date_of_birth,phone,email,preferred_channel,address,medical_record_number,national_id_ciphertext,national_id_index,notes,consent,erased_at,created_at,updated_at,version,clinic_ids';

/** A patient from its row. */
export function patientFromRow(row: PatientRow<unknown>): StoredPatient {
  return definedOnly({
    id: PatientId.parse(row.id),
    tenantId: TenantId.parse(row.tenant_id),
    userId: row.user_id === null ? undefined : UserId.parse(row.user_id),
    givenName: row.given_name,
    familyName: row.family_name,
    dateOfBirth: row.date_of_birth,
    contact: definedOnly({
      phone: row.phone ?? undefined,
      email: row.email ?? undefined,
      preferredChannel: row.preferred_channel,
    }),
    address: row.address ?? undefined,
    medicalRecordNumber: row.medical_record_number ?? undefined,
    nationalIdCiphertext: row.national_id_ciphertext ?? undefined,
    nationalIdIndex: row.national_id_index ?? undefined,
    notes: row.notes ?? undefined,
    consent: row.consent,
    clinicIds: row.clinic_ids.map((id) => ClinicId.parse(id)),
    erasedAt: optionalTimestamp(row.erased_at),
    createdAt: isoTimestamp(row.created_at),
    updatedAt: isoTimestamp(row.updated_at),
    version: row.version,
  });
}

/** The row of a patient. */
export function patientToRow(patient: StoredPatient): PatientRow {
  return {
    id: patient.id,
    tenant_id: patient.tenantId,
    user_id: patient.userId ?? null,
    given_name: patient.givenName,
    family_name: patient.familyName,
    date_of_birth: patient.dateOfBirth,
    phone: patient.contact.phone ?? null,
    email: patient.contact.email ?? null,
    preferred_channel: patient.contact.preferredChannel,
    address: patient.address ?? null,
    medical_record_number: patient.medicalRecordNumber ?? null,
    national_id_ciphertext: patient.nationalIdCiphertext ?? null,
    national_id_index: patient.nationalIdIndex ?? null,
    notes: patient.notes ?? null,
    consent: patient.consent,
    erased_at: patient.erasedAt ?? null,
    created_at: patient.createdAt,
    updated_at: patient.updatedAt,
    version: patient.version,
    clinic_ids: patient.clinicIds,
  };
}

/** The document `queue.schedule_of` returns and `queue.save_schedule` takes. */
export interface ScheduleDocument<Timestamp = string> {
  tenant_id: string;
  clinic_id: string;
  staff_id: string;
  time_zone: string;
  updated_at: Timestamp;
  version: number;
  weekly_hours: readonly WeeklyHours[];
  date_overrides: readonly (Omit<DateOverride, 'reason'> & { reason?: string | null })[];
}

/** A schedule from its document. */
export function scheduleFromDocument(document: ScheduleDocument<unknown>): Schedule {
  return {
    tenantId: TenantId.parse(document.tenant_id),
    clinicId: ClinicId.parse(document.clinic_id),
    staffId: StaffId.parse(document.staff_id),
    timeZone: document.time_zone,
    weeklyHours: [...document.weekly_hours],
    dateOverrides: document.date_overrides.map((override) =>
      definedOnly({ ...override, reason: override.reason ?? undefined }),
    ),
    updatedAt: isoTimestamp(document.updated_at),
    version: document.version,
  };
}

/** The document of a schedule. */
export function scheduleToDocument(schedule: Schedule): ScheduleDocument {
  return {
    tenant_id: schedule.tenantId,
    clinic_id: schedule.clinicId,
    staff_id: schedule.staffId,
    time_zone: schedule.timeZone,
    updated_at: schedule.updatedAt,
    version: schedule.version,
    weekly_hours: schedule.weeklyHours,
    date_overrides: schedule.dateOverrides,
  };
}
