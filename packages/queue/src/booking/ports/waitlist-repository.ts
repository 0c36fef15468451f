import type {
  AppointmentId,
  ClinicId,
  PatientId,
  ServiceTypeId,
  StaffId,
  TenantId,
} from '@carequeue/core';

/**
 * Where a waitlist entry stands: `waiting` for a freed slot, `offered` a hold on one, `booked`
 * once the patient confirmed it, `cancelled` when withdrawn.
 *
 * @example
 * ```ts
 * const status: WaitlistStatus = 'offered';
 * ```
 */
export type WaitlistStatus = 'waiting' | 'offered' | 'booked' | 'cancelled';

/**
 * A patient waiting for a slot of a service type at a clinic, optionally with one staff member
 * and within a time window.
 *
 * @example
 * ```ts
 * const entry: WaitlistEntry = { id, tenantId, clinicId, patientId, serviceTypeId, status: 'waiting', createdAt, updatedAt: createdAt, version: 0 };
 * ```
 */
export interface WaitlistEntry {
  readonly id: string;
  readonly tenantId: TenantId;
  readonly clinicId: ClinicId;
  readonly patientId: PatientId;
  readonly serviceTypeId: ServiceTypeId;
  /** Only slots of this staff member, when set. */
  readonly staffId?: StaffId;
  /** Only slots starting at or after this time, when set. */
  readonly earliestAt?: string;
  /** Only slots starting at or before this time, when set. */
  readonly latestAt?: string;
  readonly status: WaitlistStatus;
  /** The hold offered to the patient, while `offered` or once `booked`. */
  readonly offeredAppointmentId?: AppointmentId;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly version: number;
}

/**
 * A waitlist entry returned to `waiting` because the hold it was offered lapsed.
 *
 * @example
 * ```ts
 * const reopened: ReopenedWaitlistEntry = { id, patientId, version: 2 };
 * ```
 */
export interface ReopenedWaitlistEntry {
  readonly id: string;
  readonly patientId: PatientId;
  /** The version after it was reopened. */
  readonly version: number;
}

/**
 * Storage port for waitlist entries, scoped to one tenant.
 *
 * @example
 * ```ts
 * const repo: WaitlistRepository = memoryWaitlistRepository();
 * await repo.insert(entry);
 * ```
 */
export interface WaitlistRepository {
  insert(entry: WaitlistEntry): Promise<void>;
  /**
   * Replaces an entry whose stored version is `entry.version - 1`.
   *
   * @throws {@link StaleVersionError} when the stored version differs or it is absent.
   */
  update(entry: WaitlistEntry): Promise<void>;
  get(tenantId: TenantId, id: string): Promise<WaitlistEntry | undefined>;
  /**
   * The oldest `waiting` entry of the clinic and service type that accepts a slot of `staffId`
   * starting at `start`, locked for this unit of work where the store supports it.
   */
  nextWaiting(
    tenantId: TenantId,
    clinicId: ClinicId,
    serviceTypeId: ServiceTypeId,
    staffId: StaffId,
    start: string,
  ): Promise<WaitlistEntry | undefined>;
  /**
   * Returns to `waiting` (clearing the offered hold) the `offered` entries of the tenant whose
   * offered hold is one of `holdIds`, and returns them. It reaches entries the caller cannot read
   * (another patient's). Call it only with holds cancelled as lapsed in this unit of work; the
   * SQL store also checks that they were.
   */
  reopenLapsedOffers(
    tenantId: TenantId,
    holdIds: readonly AppointmentId[],
    now: string,
  ): Promise<ReopenedWaitlistEntry[]>;
  /** The entry that was offered this hold, if any. */
  findByOffer(tenantId: TenantId, appointmentId: AppointmentId): Promise<WaitlistEntry | undefined>;
}
