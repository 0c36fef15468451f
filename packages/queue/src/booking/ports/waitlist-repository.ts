import type {
  AppointmentId,
  ClinicId,
  PatientId,
  ServiceTypeId,
  StaffId,
  TenantId,
  WaitlistEntry,
} from '@carequeue/core';

export type { WaitlistEntry, WaitlistStatus } from '@carequeue/core';

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
