import type {
  Appointment,
  AppointmentId,
  ClinicId,
  PatientId,
  StaffId,
  TenantId,
} from '@carequeue/core';

/**
 * An appointment as it is stored: the model plus the buffers it keeps free around the visit and,
 * for a seat of a group session, the session's group slot id.
 *
 * @example
 * ```ts
 * const stored: StoredAppointment = { ...appointment, bufferBeforeMinutes: 5, bufferAfterMinutes: 10 };
 * ```
 */
export type StoredAppointment = Appointment & {
  /** Minutes kept free before the visit. */
  readonly bufferBeforeMinutes: number;
  /** Minutes kept free after the visit. */
  readonly bufferAfterMinutes: number;
  /** Shared by every seat of one group session; absent for an ordinary appointment. */
  readonly groupSlotId?: string;
};

/**
 * One numbered seat of a group session, held by one appointment.
 *
 * @example
 * ```ts
 * const seat: AppointmentSeat = { tenantId, clinicId, groupSlotId, seatNumber: 3, appointmentId, patientId, createdAt };
 * ```
 */
export interface AppointmentSeat {
  readonly tenantId: TenantId;
  readonly clinicId: ClinicId;
  readonly groupSlotId: string;
  readonly seatNumber: number;
  readonly appointmentId: AppointmentId;
  readonly patientId: PatientId;
  readonly createdAt: string;
}

/**
 * A pending hold that lapsed and was cancelled to make room for a booking.
 *
 * @example
 * ```ts
 * const expired: ExpiredHold = { id, patientId, clinicId, version: 1 };
 * ```
 */
export interface ExpiredHold {
  readonly id: AppointmentId;
  readonly patientId: PatientId;
  readonly clinicId: ClinicId;
  /** The version after the cancellation. */
  readonly version: number;
}

/**
 * The idempotency key a new appointment is booked under: the SHA-256 hex digest of the caller's
 * scoped key (opaque, never the key as sent) and the fingerprint of the request.
 *
 * @example
 * ```ts
 * const idempotency: AppointmentIdempotency = { key: 'a3f1…', fingerprint: '9c0e…' };
 * ```
 */
export interface AppointmentIdempotency {
  readonly key: string;
  readonly fingerprint: string;
}

/**
 * An appointment to store, with the idempotency key it is booked under, if any. The key is
 * stored on the row in the same statement and is never part of a returned appointment.
 *
 * @example
 * ```ts
 * await repo.insert({ ...appointment, idempotency: { key, fingerprint } });
 * ```
 */
export type NewAppointment = StoredAppointment & {
  readonly idempotency?: AppointmentIdempotency;
};

/**
 * An appointment found by the idempotency key it was booked with, and the fingerprint of the
 * request that booked it.
 *
 * @example
 * ```ts
 * const found: KeyedAppointment = { appointment, fingerprint: 'e3b0c442…' };
 * ```
 */
export interface KeyedAppointment {
  readonly appointment: StoredAppointment;
  readonly fingerprint: string;
}

/**
 * What availability needs to know of an occupying appointment: its times, buffers, status and
 * session, without whose it is.
 *
 * @example
 * ```ts
 * const busy: BusyAppointment = { start, end, bufferBeforeMinutes: 0, bufferAfterMinutes: 5, status: 'booked', serviceTypeId };
 * ```
 */
export type BusyAppointment = Pick<
  StoredAppointment,
  | 'start'
  | 'end'
  | 'bufferBeforeMinutes'
  | 'bufferAfterMinutes'
  | 'status'
  | 'holdExpiresAt'
  | 'groupSlotId'
  | 'serviceTypeId'
>;

/**
 * A time range as ISO 8601 timestamps, start inclusive and end exclusive.
 *
 * @example
 * ```ts
 * const range: TimeSpan = { start: '2026-03-02T09:00:00.000Z', end: '2026-03-02T10:00:00.000Z' };
 * ```
 */
export interface TimeSpan {
  readonly start: string;
  readonly end: string;
}

/**
 * Storage port for appointments and group seats. It refuses two overlapping busy ranges (visit
 * plus buffers) of one staff member while both appointments are pending, booked, arrived or
 * checked-in, unless both are seats of the same group slot: on SQL this is an exclusion
 * constraint, in memory the same rule in code.
 *
 * @example
 * ```ts
 * const repo: AppointmentRepository = memoryAppointmentRepository();
 * await repo.insert(appointment); // SlotUnavailableError when it overlaps
 * ```
 */
export interface AppointmentRepository {
  /**
   * Stores a new appointment, with its idempotency key when given (unique per tenant).
   *
   * @throws {@link SlotUnavailableError} when its busy range overlaps an occupying appointment
   * of the same staff member; `IdempotencyInProgressError` (from `@carequeue/resilience`) when
   * another appointment of the tenant already holds the idempotency key.
   */
  insert(appointment: NewAppointment): Promise<void>;
  /**
   * Replaces an appointment whose stored version is `appointment.version - 1`.
   *
   * @throws {@link StaleVersionError} when the stored version differs or it is absent;
   * {@link SlotUnavailableError} when the change makes it overlap.
   */
  update(appointment: StoredAppointment): Promise<void>;
  /** The appointment, or `undefined` when absent, hidden or in another tenant. */
  get(tenantId: TenantId, id: AppointmentId): Promise<StoredAppointment | undefined>;
  /** Occupying appointments of the staff member whose busy range overlaps `span`, by start. */
  listOccupying(tenantId: TenantId, staffId: StaffId, span: TimeSpan): Promise<StoredAppointment[]>;
  /**
   * The busy ranges of every occupying appointment of the staff member overlapping `span`, by
   * start, including those the caller cannot read (another patient's), which carry no ids.
   */
  listBusy(tenantId: TenantId, staffId: StaffId, span: TimeSpan): Promise<BusyAppointment[]>;
  /**
   * Cancels (reason `hold-expired`) the pending holds of the staff member whose expiry is at or
   * before `now` and whose busy range overlaps `span`, frees their seats, and returns them.
   * It reaches holds the caller cannot read (another patient's), and nothing else.
   */
  expireHolds(
    tenantId: TenantId,
    staffId: StaffId,
    span: TimeSpan,
    now: string,
  ): Promise<ExpiredHold[]>;
  /** The appointment bound to the opaque idempotency key, or `undefined`. */
  findByIdempotencyKey(tenantId: TenantId, key: string): Promise<KeyedAppointment | undefined>;
  /**
   * Pending holds of the clinic whose expiry is at or before `now`, oldest expiry first, up to
   * `limit`.
   */
  listLapsedHolds(
    tenantId: TenantId,
    clinicId: ClinicId,
    now: string,
    limit: number,
  ): Promise<StoredAppointment[]>;
  /** Booked appointments of the clinic starting at or before `startedBy`, oldest first. */
  listBookedStartedBy(
    tenantId: TenantId,
    clinicId: ClinicId,
    startedBy: string,
    limit: number,
  ): Promise<StoredAppointment[]>;
  /**
   * Gives the appointment the lowest free seat number of its group slot, up to `capacity`.
   *
   * @returns the seat number, or `undefined` when every seat is taken.
   */
  takeSeat(
    seat: Omit<AppointmentSeat, 'seatNumber'>,
    capacity: number,
  ): Promise<number | undefined>;
  /** Frees the appointment's seat, if it has one. */
  releaseSeat(tenantId: TenantId, appointmentId: AppointmentId): Promise<void>;
  /** The seats of a group slot, by seat number. */
  listSeats(tenantId: TenantId, groupSlotId: string): Promise<AppointmentSeat[]>;
}
