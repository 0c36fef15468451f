import { z } from 'zod';
import {
  authorize,
  can,
  Clinic,
  ClinicId,
  ClinicSettings,
  parseArguments,
  parseOrThrow,
  ServiceType,
  ServiceTypeId,
  uuidv7,
  WeeklyHours,
  type Actor,
  type Clock,
} from '@carequeue/core';
import type { AuditLogService } from '@carequeue/audit';
import type { CacheService } from '@carequeue/cache';
import type { Page, PageRequest } from '../pagination.js';
import { clinicArguments } from './clinic-arguments.js';
import type { StoredClinic } from './ports/clinic-repository.js';
import type { ClinicUnitOfWork, ClinicWorkScope } from './ports/clinic-unit-of-work.js';
import { checkFactoryOptions, clockOption, portOption } from '../config/factory-options.js';
import { checkPageCursor } from '../arguments/page-cursor.js';
import { recordOrNotFound } from '../record-or-not-found.js';
import { recordModification } from '../record-modification.js';

/**
 * What a new clinic is created with; the id, timestamps and version are assigned, and settings
 * left out take their defaults.
 *
 * @example
 * ```ts
 * const input: NewClinic = { name: 'Main Street', timeZone: 'Europe/Berlin', settings: { walkInsEnabled: false } };
 * ```
 */
export interface NewClinic {
  readonly name: string;
  /** An IANA time zone name such as `Europe/Berlin`. */
  readonly timeZone: string;
  readonly address?: Clinic['address'];
  readonly settings?: Partial<ClinicSettings>;
  /**
   * Weekly opening hours in the clinic's time zone.
   *
   * @default []
   */
  readonly openingHours?: readonly WeeklyHours[];
}

/**
 * Fields to change on a clinic, with the version the caller read. Settings are merged into the
 * stored ones; opening hours replace the stored ones.
 *
 * @example
 * ```ts
 * await clinics.update(admin, clinicId, { expectedVersion: 0, settings: { maxRecalls: 3 } });
 * ```
 */
export type ClinicChanges = Partial<NewClinic> & { readonly expectedVersion: number };

/**
 * What a new service type is created with.
 *
 * @example
 * ```ts
 * const input: NewServiceType = { name: 'Checkup', durationMinutes: 15 };
 * ```
 */
export interface NewServiceType {
  readonly name: string;
  /** How long the visit takes, in minutes (1 to 720). */
  readonly durationMinutes: number;
  /** @default 0 */
  readonly bufferBeforeMinutes?: number;
  /** @default 0 */
  readonly bufferAfterMinutes?: number;
  /** @default true */
  readonly active?: boolean;
}

/**
 * Fields to change on a service type, with the version the caller read.
 *
 * @example
 * ```ts
 * await clinics.updateServiceType(admin, serviceTypeId, { expectedVersion: 0, durationMinutes: 20 });
 * ```
 */
export type ServiceTypeChanges = Partial<NewServiceType> & { readonly expectedVersion: number };

/**
 * Dependencies of {@link createClinicService}.
 *
 * @example
 * ```ts
 * const options: ClinicServiceOptions = { unitOfWork, audit, cache, clock: systemClock };
 * ```
 */
export interface ClinicServiceOptions {
  readonly unitOfWork: ClinicUnitOfWork;
  readonly audit: AuditLogService;
  /** A cache with the `clinic-settings` namespace. */
  readonly cache: CacheService;
  readonly clock: Clock;
}

/**
 * Clinics of a tenant with their settings, time zone, opening hours and service types. Every
 * method checks `authorize()`; every write is audited in its own transaction and invalidates
 * the cached clinic.
 *
 * Every method first checks its arguments (ids, shapes, string lengths and characters) and
 * throws a `ValidationError` naming the argument path, never its value, before any port is
 * called.
 *
 * @example
 * ```ts
 * const clinic = await clinics.create(admin, { name: 'Main Street', timeZone: 'Europe/Berlin' });
 * await clinics.addServiceType(admin, clinic.id, { name: 'Checkup', durationMinutes: 15 });
 * ```
 */
export interface ClinicService {
  /**
   * Creates a clinic in the actor's tenant.
   *
   * @throws `ForbiddenError` without `clinic:write`; `ValidationError` for invalid fields.
   */
  create(actor: Actor, input: NewClinic): Promise<StoredClinic>;
  /**
   * The clinic, from cache when possible.
   *
   * @throws `ForbiddenError` without `clinic:read` at this clinic; `NotFoundError`.
   */
  get(actor: Actor, id: ClinicId): Promise<StoredClinic>;
  /**
   * The clinic's settings, from cache when possible.
   *
   * @throws the same errors as {@link ClinicService.get}.
   */
  getSettings(actor: Actor, id: ClinicId): Promise<ClinicSettings>;
  /**
   * A page of the tenant's clinics that the actor may read, in id order.
   *
   * @throws `ForbiddenError` without `clinic:read`.
   */
  list(actor: Actor, page: PageRequest): Promise<Page<StoredClinic>>;
  /**
   * Applies changes when `expectedVersion` is the stored version.
   *
   * @throws `ForbiddenError` without `clinic:write`; `NotFoundError`; `ValidationError`;
   * {@link StaleVersionError} when the clinic changed since it was read.
   */
  update(actor: Actor, id: ClinicId, changes: ClinicChanges): Promise<StoredClinic>;
  /**
   * Adds a service type to a clinic.
   *
   * @throws `ForbiddenError` without `clinic:write`; `NotFoundError` for an unknown clinic;
   * `ValidationError` for invalid fields.
   */
  addServiceType(actor: Actor, clinicId: ClinicId, input: NewServiceType): Promise<ServiceType>;
  /**
   * Changes a service type when `expectedVersion` is the stored version.
   *
   * @throws `ForbiddenError`; `NotFoundError`; `ValidationError`; {@link StaleVersionError}.
   */
  updateServiceType(
    actor: Actor,
    id: ServiceTypeId,
    changes: ServiceTypeChanges,
  ): Promise<ServiceType>;
  /**
   * A page of the clinic's service types in id order.
   *
   * @throws `ForbiddenError` without `clinic:read` at this clinic.
   */
  listServiceTypes(actor: Actor, clinicId: ClinicId, page: PageRequest): Promise<Page<ServiceType>>;
}

const ClinicServiceOptionsSchema = z.object({
  unitOfWork: portOption('a ClinicUnitOfWork', ['run']),
  audit: portOption('an AuditLogService', ['buildModificationEvent']),
  cache: portOption('a CacheService', ['set', 'delete']),
  clock: clockOption,
});

/**
 * Creates the {@link ClinicService}.
 *
 * @example
 * ```ts
 * import { createAuditLogService, memoryAuditStore } from '@carequeue/audit';
 * import { createCacheService, defaultNamespaces } from '@carequeue/cache';
 * import { systemClock } from '@carequeue/core';
 * import { createClinicService, memoryClinicUnitOfWork } from '@carequeue/queue';
 *
 * const auditStore = memoryAuditStore();
 * const clinics = createClinicService({
 *   unitOfWork: memoryClinicUnitOfWork({ auditStore }),
 *   audit: createAuditLogService({ store: auditStore }),
 *   cache: createCacheService({ namespaces: defaultNamespaces, encryptor }),
 *   clock: systemClock,
 * });
 * ```
 */
export function createClinicService(options: ClinicServiceOptions): ClinicService {
  checkFactoryOptions('createClinicService', ClinicServiceOptionsSchema, options);
  const { unitOfWork, audit, cache, clock } = options;
  const isoNow = (): string => new Date(clock.now()).toISOString();
  const cacheKey = (id: ClinicId): string => `clinic-settings:${id}`;

  function validated(clinic: StoredClinic): StoredClinic {
    const { openingHours, ...model } = clinic;
    return {
      ...parseOrThrow(Clinic, model, 'clinic'),
      openingHours: openingHours.map((hours) => parseOrThrow(WeeklyHours, hours, 'opening hours')),
    };
  }

  async function loadClinic(
    actor: Actor,
    id: ClinicId,
    scope: ClinicWorkScope,
  ): Promise<StoredClinic> {
    return recordOrNotFound(scope.clinics, actor.tenantId, id, 'clinic');
  }

  async function readClinic(actor: Actor, id: ClinicId): Promise<StoredClinic> {
    authorize(actor, 'clinic:read', { tenantId: actor.tenantId, clinicId: id });
    const tenant = { tenant: actor.tenantId };
    const cached = await cache.get<StoredClinic>(cacheKey(id), tenant);
    if (cached !== undefined) return cached;
    const clinic = await unitOfWork.run(actor, (scope) => loadClinic(actor, id, scope));
    await cache.set(cacheKey(id), clinic, tenant);
    return clinic;
  }

  function auditOptions(actor: Actor, action: string) {
    return { tenantId: actor.tenantId, patientId: null, action };
  }

  return {
    async create(actor, input) {
      ({ actor, input } = parseArguments(
        clinicArguments.create,
        { actor, input },
        'clinics.create',
      ));
      authorize(actor, 'clinic:write', { tenantId: actor.tenantId });
      const now = isoNow();
      const { openingHours = [], settings = {}, ...fields } = input;
      const clinic = validated({
        ...fields,
        id: ClinicId.parse(uuidv7()),
        tenantId: actor.tenantId,
        settings: ClinicSettings.parse(settings),
        openingHours,
        createdAt: now,
        updatedAt: now,
        version: 0,
      });
      await unitOfWork.run(actor, async (scope) => {
        await scope.clinics.insert(clinic);
        await recordModification(
          audit,
          scope,
          actor.userId,
          `Clinic/${clinic.id}`,
          null,
          clinic,
          auditOptions(actor, 'create'),
        );
      });
      return clinic;
    },

    async get(actor, id) {
      ({ actor, id } = parseArguments(clinicArguments.byId, { actor, id }, 'clinics.get'));
      return readClinic(actor, id);
    },

    async getSettings(actor, id) {
      ({ actor, id } = parseArguments(clinicArguments.byId, { actor, id }, 'clinics.getSettings'));
      return (await readClinic(actor, id)).settings;
    },

    async list(actor, page) {
      ({ actor, page } = parseArguments(clinicArguments.list, { actor, page }, 'clinics.list'));
      authorize(actor, 'clinic:read', { tenantId: actor.tenantId });
      checkPageCursor(page);
      const found = await unitOfWork.run(actor, (scope) =>
        scope.clinics.list(actor.tenantId, page),
      );
      // Row-level security narrows the SQL list already; this holds the same rule in memory.
      const items = found.items.filter((clinic) =>
        can(actor, 'clinic:read', { tenantId: actor.tenantId, clinicId: clinic.id }),
      );
      return { ...found, items };
    },

    async update(actor, id, changes) {
      ({ actor, id, changes } = parseArguments(
        clinicArguments.update,
        { actor, id, changes },
        'clinics.update',
      ));
      authorize(actor, 'clinic:write', { tenantId: actor.tenantId, clinicId: id });
      const { expectedVersion, settings, ...fields } = changes;
      const next = await unitOfWork.run(actor, async (scope) => {
        const current = await loadClinic(actor, id, scope);
        const updated = validated({
          ...current,
          ...fields,
          settings: ClinicSettings.parse({ ...current.settings, ...settings }),
          updatedAt: isoNow(),
          version: expectedVersion + 1,
        });
        await scope.clinics.update(updated);
        await recordModification(
          audit,
          scope,
          actor.userId,
          `Clinic/${id}`,
          current,
          updated,
          auditOptions(actor, 'update'),
        );
        return updated;
      });
      await cache.delete(cacheKey(id), { tenant: actor.tenantId });
      return next;
    },

    async addServiceType(actor, clinicId, input) {
      ({ actor, clinicId, input } = parseArguments(
        clinicArguments.addServiceType,
        { actor, clinicId, input },
        'clinics.addServiceType',
      ));
      authorize(actor, 'clinic:write', { tenantId: actor.tenantId, clinicId });
      const now = isoNow();
      const serviceType = parseOrThrow(
        ServiceType,
        {
          ...input,
          id: ServiceTypeId.parse(uuidv7()),
          tenantId: actor.tenantId,
          clinicId,
          createdAt: now,
          updatedAt: now,
          version: 0,
        },
        'service type',
      );
      await unitOfWork.run(actor, async (scope) => {
        await loadClinic(actor, clinicId, scope);
        await scope.serviceTypes.insert(serviceType);
        await recordModification(
          audit,
          scope,
          actor.userId,
          `ServiceType/${serviceType.id}`,
          null,
          serviceType,
          auditOptions(actor, 'create'),
        );
      });
      return serviceType;
    },

    async updateServiceType(actor, id, changes) {
      ({ actor, id, changes } = parseArguments(
        clinicArguments.updateServiceType,
        { actor, id, changes },
        'clinics.updateServiceType',
      ));
      authorize(actor, 'clinic:write', { tenantId: actor.tenantId });
      const { expectedVersion, ...fields } = changes;
      return unitOfWork.run(actor, async (scope) => {
        const current = await recordOrNotFound(
          scope.serviceTypes,
          actor.tenantId,
          id,
          'service type',
        );
        authorize(actor, 'clinic:write', { tenantId: actor.tenantId, clinicId: current.clinicId });
        const updated = parseOrThrow(
          ServiceType,
          { ...current, ...fields, updatedAt: isoNow(), version: expectedVersion + 1 },
          'service type',
        );
        await scope.serviceTypes.update(updated);
        await recordModification(
          audit,
          scope,
          actor.userId,
          `ServiceType/${id}`,
          current,
          updated,
          auditOptions(actor, 'update'),
        );
        return updated;
      });
    },

    async listServiceTypes(actor, clinicId, page) {
      ({ actor, clinicId, page } = parseArguments(
        clinicArguments.listServiceTypes,
        { actor, clinicId, page },
        'clinics.listServiceTypes',
      ));
      authorize(actor, 'clinic:read', { tenantId: actor.tenantId, clinicId });
      checkPageCursor(page);
      return unitOfWork.run(actor, (scope) =>
        scope.serviceTypes.listByClinic(actor.tenantId, clinicId, page),
      );
    },
  };
}
