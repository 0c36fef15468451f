import { z } from 'zod';
import {
  authorize,
  ForbiddenError,
  NotFoundError,
  parseArguments,
  parseOrThrow,
  Schedule,
  Staff,
  StaffId,
  uuidv7,
  type Actor,
  type ClinicId,
  type Clock,
  type DateOverride,
  type StaffRole,
  type UserId,
  type WeeklyHours,
} from '@carequeue/core';
import type { AuditLogService } from '@carequeue/audit';
import type { CacheService } from '@carequeue/cache';
import type { Page, PageRequest } from '../pagination.js';
import { staffArguments } from './staff-arguments.js';
import { requireKnownClinics, StaffAccountBoundError } from './staff-errors.js';
import type { StaffUnitOfWork, StaffWorkScope } from './ports/staff-unit-of-work.js';
import { checkFactoryOptions, clockOption, portOption } from '../config/factory-options.js';
import { checkPageCursor } from '../arguments/page-cursor.js';
import { recordOrNotFound } from '../record-or-not-found.js';
import { recordModification } from '../record-modification.js';

/**
 * What a new staff member is registered with; the id, timestamps and version are assigned.
 *
 * @example
 * ```ts
 * const input: NewStaff = { displayName: 'Dr. Example', email: 'doctor@example.org', roles: ['clinician'], clinicIds: [clinicId] };
 * ```
 */
export interface NewStaff {
  readonly displayName: string;
  readonly email: string;
  readonly roles: readonly StaffRole[];
  readonly clinicIds: readonly ClinicId[];
  /** The account the member signs in with, when it exists already. */
  readonly userId?: UserId;
  /** @default true */
  readonly active?: boolean;
}

/**
 * Fields to change on a staff member, with the version the caller read.
 *
 * @example
 * ```ts
 * await staff.update(admin, staffId, { expectedVersion: 0, roles: ['clinician', 'receptionist'] });
 * ```
 */
export type StaffChanges = Partial<NewStaff> & { readonly expectedVersion: number };

/**
 * A schedule as a caller sets it. Leave `expectedVersion` out for a staff member's first schedule
 * at the clinic; pass the version read to replace an existing one.
 *
 * @example
 * ```ts
 * const input: ScheduleInput = { timeZone: 'Europe/Berlin', weeklyHours: [{ day: 'monday', start: '08:00', end: '16:00', breaks: [] }] };
 * ```
 */
export interface ScheduleInput {
  /** An IANA time zone name such as `Europe/Berlin`. */
  readonly timeZone: string;
  readonly weeklyHours: readonly WeeklyHours[];
  /** @default [] */
  readonly dateOverrides?: readonly DateOverride[];
  readonly expectedVersion?: number;
}

/**
 * Dependencies of {@link createStaffService}.
 *
 * @example
 * ```ts
 * const options: StaffServiceOptions = { unitOfWork, audit, cache, clock: systemClock };
 * ```
 */
export interface StaffServiceOptions {
  readonly unitOfWork: StaffUnitOfWork;
  readonly audit: AuditLogService;
  /** A cache with the `staff-schedules` namespace. */
  readonly cache: CacheService;
  readonly clock: Clock;
}

/**
 * Staff members with their roles and clinics, and their schedules (weekly hours with breaks,
 * date overrides) per clinic. Every method checks `authorize()`; writes are audited in their own
 * transaction; schedules are cached and invalidated on writes.
 *
 * Every method first checks its arguments (ids, shapes, string lengths and characters) and
 * throws a `ValidationError` naming the argument path, never its value, before any port is
 * called.
 *
 * @example
 * ```ts
 * const member = await staff.create(admin, { displayName: 'Dr. Example', email, roles: ['clinician'], clinicIds: [clinicId] });
 * await staff.setSchedule(admin, member.id, clinicId, { timeZone: 'Europe/Berlin', weeklyHours });
 * ```
 */
export interface StaffService {
  /**
   * Registers a staff member in the actor's tenant.
   *
   * @throws `ForbiddenError` without `staff:write`, or when a non-owner assigns the owner role;
   * `ValidationError` for invalid fields; {@link ClinicNotInTenantError} when a clinic id is not
   * one of the tenant's clinics.
   */
  create(actor: Actor, input: NewStaff): Promise<Staff>;
  /**
   * The staff member: tenant-wide staff see everyone, clinic staff colleagues sharing a clinic.
   *
   * @throws `ForbiddenError` without `staff:read`; `NotFoundError` when absent or not visible.
   */
  get(actor: Actor, id: StaffId): Promise<Staff>;
  /**
   * A page of the staff the actor may see, in id order.
   *
   * @throws `ForbiddenError` without `staff:read`.
   */
  list(actor: Actor, page: PageRequest): Promise<Page<Staff>>;
  /**
   * Applies changes when `expectedVersion` is the stored version. A field left out (or
   * `undefined`) keeps its stored value.
   *
   * Owners are protected: only an owner gives the owner role, or changes the roles, `userId`,
   * `email` or `active` flag of a member who is an owner; an admin may still change an owner's
   * display name and clinics. A member's `userId` never changes once it is set.
   *
   * @throws `ForbiddenError` without `staff:write`, or when a non-owner gives the owner role or
   * changes what an owner is, who signs in as them or whether they can; `NotFoundError`;
   * `ValidationError`; {@link StaffAccountBoundError} when `userId` differs from a bound one;
   * {@link StaleVersionError}; {@link ClinicNotInTenantError} when new clinic ids are not all the
   * tenant's clinics.
   */
  update(actor: Actor, id: StaffId, changes: StaffChanges): Promise<Staff>;
  /**
   * The member's schedule at the clinic, from cache when possible.
   *
   * @throws `ForbiddenError` without `staff:read` at the clinic; `NotFoundError` without a schedule.
   */
  getSchedule(actor: Actor, staffId: StaffId, clinicId: ClinicId): Promise<Schedule>;
  /**
   * Sets the member's whole schedule at the clinic.
   *
   * @throws `ForbiddenError` without `staff:write`; `NotFoundError` for an unknown member;
   * `ValidationError` for invalid hours; {@link StaleVersionError} when it changed since it was read;
   * {@link ClinicNotInTenantError} when the clinic is not one of the member's tenant.
   */
  setSchedule(
    actor: Actor,
    staffId: StaffId,
    clinicId: ClinicId,
    input: ScheduleInput,
  ): Promise<Schedule>;
}

const isTenantWide = (actor: Actor): boolean =>
  actor.roles.some((role) => role === 'owner' || role === 'admin' || role === 'service');

function visibleTo(actor: Actor, member: Staff): boolean {
  if (isTenantWide(actor)) return true;
  // Staff rows carry e-mail addresses: clinic staff see colleagues sharing a clinic, patients none.
  return member.clinicIds.some((clinicId) => actor.clinicIds?.includes(clinicId) ?? false);
}

function checkOwnerAssignment(actor: Actor, roles: readonly StaffRole[] | undefined): void {
  if (roles?.includes('owner') === true && !actor.roles.includes('owner')) {
    throw new ForbiddenError(
      'staff:write',
      'Only an owner can give the owner role. Ask an owner to make the change.',
    );
  }
}

/** What a member is, who signs in as them and whether they can: an owner's to change. */
const OWNER_GUARDED_FIELDS = ['roles', 'userId', 'email', 'active'] as const;

function sameValue(left: unknown, right: unknown): boolean {
  return JSON.stringify(left) === JSON.stringify(right);
}

/**
 * Refuses a non-owner who changes what an owner is, who signs in as them or whether they can, on
 * a member who is an owner before or after the change: giving the owner role is such a change.
 * The same rule as migration 0013's trigger on `queue.staff`.
 */
function checkOwnerRowChange(actor: Actor, current: Staff, updated: Staff): void {
  if (actor.roles.includes('owner')) return;
  if (!current.roles.includes('owner') && !updated.roles.includes('owner')) return;
  if (OWNER_GUARDED_FIELDS.every((field) => sameValue(current[field], updated[field]))) return;
  throw new ForbiddenError(
    'staff:write',
    "Only an owner can give the owner role or change an owner's roles, account, e-mail or active flag. Ask an owner to make the change.",
  );
}

function checkAccountBinding(current: Staff, updated: Staff): void {
  if (current.userId !== undefined && updated.userId !== current.userId) {
    throw new StaffAccountBoundError();
  }
}

/** The changes the caller gave: a field set to `undefined` keeps its stored value. */
function givenFields<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(fields).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}

const StaffServiceOptionsSchema = z.object({
  unitOfWork: portOption('a StaffUnitOfWork', ['run']),
  audit: portOption('an AuditLogService', ['buildModificationEvent']),
  cache: portOption('a CacheService', ['set', 'delete']),
  clock: clockOption,
});

/**
 * Creates the {@link StaffService}.
 *
 * @example
 * ```ts
 * import { createAuditLogService, memoryAuditStore } from '@carequeue/audit';
 * import { createCacheService, defaultNamespaces } from '@carequeue/cache';
 * import { systemClock } from '@carequeue/core';
 * import { createStaffService, memoryClinicRepository, memoryStaffUnitOfWork } from '@carequeue/queue';
 *
 * const auditStore = memoryAuditStore();
 * const staff = createStaffService({
 *   unitOfWork: memoryStaffUnitOfWork({ auditStore, clinics: memoryClinicRepository() }),
 *   audit: createAuditLogService({ store: auditStore }),
 *   cache: createCacheService({ namespaces: defaultNamespaces, encryptor }),
 *   clock: systemClock,
 * });
 * ```
 */
export function createStaffService(options: StaffServiceOptions): StaffService {
  checkFactoryOptions('createStaffService', StaffServiceOptionsSchema, options);
  const { unitOfWork, audit, cache, clock } = options;
  const isoNow = (): string => new Date(clock.now()).toISOString();
  const scheduleKey = (staffId: StaffId, clinicId: ClinicId): string =>
    `staff-schedules:${staffId}:${clinicId}`;

  async function checkClinics(
    actor: Actor,
    clinicIds: readonly ClinicId[] | undefined,
    scope: StaffWorkScope,
  ): Promise<void> {
    if (clinicIds === undefined || clinicIds.length === 0) return;
    requireKnownClinics(await scope.clinicsInTenant(actor.tenantId, clinicIds), clinicIds);
  }

  async function loadStaff(actor: Actor, id: StaffId, scope: StaffWorkScope): Promise<Staff> {
    return recordOrNotFound(scope.staff, actor.tenantId, id, 'staff member');
  }

  return {
    async create(actor, input) {
      ({ actor, input } = parseArguments(staffArguments.create, { actor, input }, 'staff.create'));
      authorize(actor, 'staff:write', { tenantId: actor.tenantId });
      checkOwnerAssignment(actor, input.roles);
      const now = isoNow();
      const member = parseOrThrow(
        Staff,
        {
          ...input,
          id: StaffId.parse(uuidv7()),
          tenantId: actor.tenantId,
          createdAt: now,
          updatedAt: now,
          version: 0,
        },
        'staff member',
      );
      await unitOfWork.run(actor, async (scope) => {
        await checkClinics(actor, member.clinicIds, scope);
        await scope.staff.insert(member);
        await recordModification(audit, scope, actor.userId, `Staff/${member.id}`, null, member, {
          tenantId: actor.tenantId,
          patientId: null,
        });
      });
      return member;
    },

    async get(actor, id) {
      ({ actor, id } = parseArguments(staffArguments.byId, { actor, id }, 'staff.get'));
      authorize(actor, 'staff:read', { tenantId: actor.tenantId });
      const member = await unitOfWork.run(actor, (scope) => loadStaff(actor, id, scope));
      if (!visibleTo(actor, member)) throw new NotFoundError('staff member');
      return member;
    },

    async list(actor, page) {
      ({ actor, page } = parseArguments(staffArguments.list, { actor, page }, 'staff.list'));
      authorize(actor, 'staff:read', { tenantId: actor.tenantId });
      checkPageCursor(page);
      const found = await unitOfWork.run(actor, (scope) => scope.staff.list(actor.tenantId, page));
      // Row-level security narrows the SQL list already; this holds the same rule in memory.
      return { ...found, items: found.items.filter((member) => visibleTo(actor, member)) };
    },

    async update(actor, id, changes) {
      ({ actor, id, changes } = parseArguments(
        staffArguments.update,
        { actor, id, changes },
        'staff.update',
      ));
      authorize(actor, 'staff:write', { tenantId: actor.tenantId });
      const { expectedVersion, ...changed } = changes;
      const fields = givenFields(changed);
      return unitOfWork.run(actor, async (scope) => {
        const current = await loadStaff(actor, id, scope);
        const updated = parseOrThrow(
          Staff,
          { ...current, ...fields, updatedAt: isoNow(), version: expectedVersion + 1 },
          'staff member',
        );
        checkOwnerRowChange(actor, current, updated);
        checkAccountBinding(current, updated);
        await checkClinics(actor, fields.clinicIds, scope);
        await scope.staff.update(updated);
        await recordModification(audit, scope, actor.userId, `Staff/${id}`, current, updated, {
          tenantId: actor.tenantId,
          patientId: null,
        });
        return updated;
      });
    },

    async getSchedule(actor, staffId, clinicId) {
      ({ actor, staffId, clinicId } = parseArguments(
        staffArguments.getSchedule,
        { actor, staffId, clinicId },
        'staff.getSchedule',
      ));
      authorize(actor, 'staff:read', { tenantId: actor.tenantId, clinicId });
      const tenant = { tenant: actor.tenantId };
      const cached = await cache.get<Schedule>(scheduleKey(staffId, clinicId), tenant);
      if (cached !== undefined) return cached;
      const schedule = await unitOfWork.run(actor, (scope) =>
        scope.schedules.get(actor.tenantId, staffId, clinicId),
      );
      if (schedule === undefined) throw new NotFoundError('schedule');
      await cache.set(scheduleKey(staffId, clinicId), schedule, tenant);
      return schedule;
    },

    async setSchedule(actor, staffId, clinicId, input) {
      ({ actor, staffId, clinicId, input } = parseArguments(
        staffArguments.setSchedule,
        { actor, staffId, clinicId, input },
        'staff.setSchedule',
      ));
      authorize(actor, 'staff:write', { tenantId: actor.tenantId, clinicId });
      const { expectedVersion, ...fields } = input;
      const saved = await unitOfWork.run(actor, async (scope) => {
        await loadStaff(actor, staffId, scope);
        await checkClinics(actor, [clinicId], scope);
        const current = await scope.schedules.get(actor.tenantId, staffId, clinicId);
        const schedule = parseOrThrow(
          Schedule,
          {
            ...fields,
            tenantId: actor.tenantId,
            staffId,
            clinicId,
            updatedAt: isoNow(),
            version: expectedVersion === undefined ? 0 : expectedVersion + 1,
          },
          'schedule',
        );
        await scope.schedules.save(schedule);
        await recordModification(
          audit,
          scope,
          actor.userId,
          { type: 'Schedule', id: `${staffId}/${clinicId}` },
          current ?? null,
          schedule,
          { tenantId: actor.tenantId, patientId: null },
        );
        return schedule;
      });
      await cache.delete(scheduleKey(staffId, clinicId), { tenant: actor.tenantId });
      return saved;
    },
  };
}
