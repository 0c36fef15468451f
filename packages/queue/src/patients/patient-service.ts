import { z } from 'zod';
import {
  authorize,
  NotFoundError,
  parseArguments,
  parseOrThrow,
  Patient,
  PatientId,
  uuidv7,
  type Actor,
  type ClinicId,
  type Clock,
  type PatientConsent,
} from '@carequeue/core';
import type { AuditLogService } from '@carequeue/audit';
import type { CacheService } from '@carequeue/cache';
import { SubjectKeyShreddedError, type FieldEncryptor } from '@carequeue/core/crypto';
import type { Page, PageRequest } from '../pagination.js';
import { authorizePatient } from './patient-access.js';
import { patientArguments } from './patient-arguments.js';
import { PatientErasedError, PatientSearchEmptyError } from './patient-errors.js';
import type { StoredPatient } from './ports/patient-repository.js';
import { identifyingCriteria, type PatientSearchCriteria } from './patient-search.js';
import type { PatientUnitOfWork, PatientWorkScope } from './ports/patient-unit-of-work.js';
import { checkFactoryOptions, clockOption, portOption } from '../config/factory-options.js';
import { checkPageCursor } from '../arguments/page-cursor.js';
import { recordOrNotFound } from '../record-or-not-found.js';
import { recordModification } from '../record-modification.js';

const NATIONAL_ID_FIELD = { table: 'queue.patients', column: 'national_id' } as const;

/**
 * A patient as the service returns it: the model with the national identifier decrypted, plus
 * the clinics the patient is registered at.
 *
 * @example
 * ```ts
 * const profile: PatientProfile = await patients.get(actor, patientId);
 * ```
 */
export type PatientProfile = Patient & { readonly clinicIds: readonly ClinicId[] };

/**
 * What a new patient is registered with; ids, timestamps and the version are assigned.
 *
 * @example
 * ```ts
 * const input: NewPatient = { givenName: 'Ada', familyName: 'Example', dateOfBirth: '1980-04-02',
 *   contact: { preferredChannel: 'sms' }, consent, clinicIds: [clinicId] };
 * ```
 */
export type NewPatient = Omit<
  Patient,
  'id' | 'tenantId' | 'createdAt' | 'updatedAt' | 'version'
> & {
  readonly clinicIds: readonly ClinicId[];
};

/**
 * Fields to change on a patient, with the version the caller read.
 *
 * @example
 * ```ts
 * await patients.update(actor, patientId, { expectedVersion: 2, contact: { phone, preferredChannel: 'sms' } });
 * ```
 */
export type PatientChanges = Partial<NewPatient> & { readonly expectedVersion: number };

/**
 * The consent flags a patient gives; the service stamps when they were recorded.
 *
 * @example
 * ```ts
 * await patients.recordConsent(actor, patientId, { sms: true, email: false, dataProcessing: true });
 * ```
 */
export type ConsentFlags = Omit<PatientConsent, 'recordedAt'>;

/**
 * Dependencies of {@link createPatientService}.
 *
 * @example
 * ```ts
 * const options: PatientServiceOptions = { unitOfWork, audit, cache, encryptor, clock: systemClock };
 * ```
 */
export interface PatientServiceOptions {
  readonly unitOfWork: PatientUnitOfWork;
  readonly audit: AuditLogService;
  /**
   * A cache with the `patient-profiles` namespace (sensitive). Profiles are cached with the
   * patient as `subject`, so with a shared store its `encryptor` needs the subject key store.
   */
  readonly cache: CacheService;
  /** Core's field encryptor with a subject key store and a blind index key. */
  readonly encryptor: FieldEncryptor;
  readonly clock: Clock;
}

/**
 * Patient profiles: registration, changes, consent, search, export and erasure, each checked
 * with `authorize()` and audited.
 *
 * Every method first checks its arguments (ids, shapes, string lengths and characters) and
 * throws a `ValidationError` naming the argument path, never its value, before any port is
 * called.
 *
 * @example
 * ```ts
 * const profile = await patients.create(receptionist, input);
 * const found = await patients.search(receptionist, { clinicId, familyName: 'Example' }, { limit: 20 });
 * ```
 */
export interface PatientService {
  /**
   * Registers a patient at the given clinics; the national identifier is stored only encrypted
   * under the patient's own key, with a blind index for lookup.
   *
   * @throws `ValidationError` for invalid fields; `ForbiddenError` without `patient:write` at every clinic.
   */
  create(actor: Actor, input: NewPatient): Promise<PatientProfile>;
  /**
   * The patient's profile, from cache when possible; every read is audited.
   *
   * @throws `ForbiddenError` outside the actor's scope; `NotFoundError`; {@link PatientErasedError}.
   */
  get(actor: Actor, id: PatientId): Promise<PatientProfile>;
  /**
   * Applies changes when `expectedVersion` is the stored version.
   *
   * @throws `ForbiddenError`; `NotFoundError`; {@link PatientErasedError}; `ValidationError`;
   * {@link StaleVersionError} when the patient changed since it was read.
   */
  update(actor: Actor, id: PatientId, changes: PatientChanges): Promise<PatientProfile>;
  /**
   * Records the patient's consent flags, stamped with the current time.
   *
   * @throws the same errors as {@link PatientService.update}.
   */
  recordConsent(actor: Actor, id: PatientId, flags: ConsentFlags): Promise<PatientProfile>;
  /**
   * Patients matching every criterion, in id order, without their national identifiers. The
   * criteria come in this request object (a request body), never a URL or query string.
   *
   * @throws {@link PatientSearchEmptyError} without a name, phone or date of birth;
   * `ForbiddenError` without `patient:read` at `criteria.clinicId` (tenant-wide staff may omit it).
   */
  search(
    actor: Actor,
    criteria: PatientSearchCriteria,
    page: PageRequest,
  ): Promise<Page<PatientProfile>>;
  /**
   * Patients with this national identifier, found by its blind index, that the actor may read.
   *
   * @throws `ForbiddenError` without `patient:read`.
   */
  findByNationalId(actor: Actor, nationalId: string): Promise<PatientProfile[]>;
  /**
   * Everything stored about the patient as a JSON document, recorded as a disclosure.
   *
   * @throws `ForbiddenError` without `patient:export` for this patient; `NotFoundError`; {@link PatientErasedError}.
   */
  exportData(actor: Actor, id: PatientId): Promise<string>;
  /**
   * Erases the patient: the row is pseudonymised and the patient's data key destroyed, so what
   * was encrypted under it, in the row and in the audit trail, cannot be read again. The audit
   * chain stays verifiable. Its cached profile is dropped on every instance, and a read that
   * loaded the row before the erasure committed cannot cache it again. Erasing twice is harmless.
   *
   * @throws `ForbiddenError` without `patient:erase`; `NotFoundError`.
   */
  erase(actor: Actor, id: PatientId): Promise<void>;
}

function publicView(patient: StoredPatient): Record<string, unknown> {
  const { nationalIdCiphertext, nationalIdIndex, ...rest } = patient;
  // The audit trail learns only whether a national identifier is held, never its envelope.
  return {
    ...rest,
    hasNationalId: nationalIdCiphertext !== undefined && nationalIdIndex !== undefined,
  };
}

function pseudonymised(patient: StoredPatient, now: string): StoredPatient {
  return {
    id: patient.id,
    tenantId: patient.tenantId,
    givenName: 'Erased',
    familyName: 'Erased',
    dateOfBirth: '1900-01-01',
    contact: { preferredChannel: 'none' },
    consent: { sms: false, email: false, dataProcessing: false, recordedAt: now },
    clinicIds: patient.clinicIds,
    erasedAt: now,
    createdAt: patient.createdAt,
    updatedAt: now,
    version: patient.version + 1,
  };
}

const PatientServiceOptionsSchema = z.object({
  unitOfWork: portOption('a PatientUnitOfWork', ['run']),
  audit: portOption('an AuditLogService', [
    'buildModificationEvent',
    'logDataAccess',
    'logDataExport',
  ]),
  cache: portOption('a CacheService', ['set', 'delete']),
  encryptor: portOption('a FieldEncryptor', ['encrypt', 'decrypt', 'blindIndex', 'shredSubject']),
  clock: clockOption,
});

/**
 * Creates the {@link PatientService}.
 *
 * @example
 * ```ts
 * import { createAuditLogService, memoryAuditStore } from '@carequeue/audit';
 * import { createCacheService, defaultNamespaces } from '@carequeue/cache';
 * import { systemClock } from '@carequeue/core';
 * import { createPatientService, memoryPatientUnitOfWork } from '@carequeue/queue';
 *
 * const auditStore = memoryAuditStore();
 * const patients = createPatientService({
 *   unitOfWork: memoryPatientUnitOfWork({ auditStore }),
 *   audit: createAuditLogService({ store: auditStore, encryptor }),
 *   cache: createCacheService({ namespaces: defaultNamespaces, encryptor }),
 *   encryptor,
 *   clock: systemClock,
 * });
 * ```
 */
export function createPatientService(options: PatientServiceOptions): PatientService {
  checkFactoryOptions('createPatientService', PatientServiceOptionsSchema, options);
  const { unitOfWork, audit, cache, encryptor, clock } = options;
  const isoNow = (): string => new Date(clock.now()).toISOString();
  const cacheKey = (id: PatientId): string => `patient-profiles:${id}`;
  const fieldOf = (id: PatientId) => ({ ...NATIONAL_ID_FIELD, rowId: id, subjectId: id });

  async function sealNationalId(
    id: PatientId,
    nationalId: string | undefined,
  ): Promise<Pick<StoredPatient, 'nationalIdCiphertext' | 'nationalIdIndex'>> {
    if (nationalId === undefined) return {};
    return {
      nationalIdCiphertext: await encryptor.encrypt(nationalId, fieldOf(id)),
      nationalIdIndex: encryptor.blindIndex(NATIONAL_ID_FIELD, nationalId),
    };
  }

  async function profileOf(
    stored: StoredPatient,
    withNationalId: boolean,
  ): Promise<PatientProfile> {
    const { nationalIdCiphertext, nationalIdIndex: _index, erasedAt: _erased, ...rest } = stored;
    if (!withNationalId || nationalIdCiphertext === undefined) return rest;
    return {
      ...rest,
      nationalId: await encryptor.decrypt(nationalIdCiphertext, fieldOf(stored.id)),
    };
  }

  function validated(stored: StoredPatient): StoredPatient {
    const {
      nationalIdCiphertext: _c,
      nationalIdIndex: _i,
      clinicIds: _k,
      erasedAt: _e,
      ...model
    } = stored;
    parseOrThrow(Patient, model, 'patient');
    return stored;
  }

  async function load(
    actor: Actor,
    id: PatientId,
    scope: PatientWorkScope,
  ): Promise<StoredPatient> {
    return recordOrNotFound(scope.patients, actor.tenantId, id, 'patient');
  }

  async function change(
    actor: Actor,
    id: PatientId,
    apply: (current: StoredPatient) => Promise<StoredPatient>,
    action: string,
  ): Promise<PatientProfile> {
    authorize(actor, 'patient:write');
    const next = await unitOfWork.run(actor, async (scope) => {
      const current = await load(actor, id, scope);
      authorizePatient(actor, 'patient:write', current);
      if (current.erasedAt !== undefined) throw new PatientErasedError();
      const updated = await apply(current);
      await scope.patients.update(updated);
      await recordModification(
        audit,
        scope,
        actor.userId,
        `Patient/${id}`,
        publicView(current),
        publicView(updated),
        { tenantId: actor.tenantId, patientId: id, action },
      );
      return updated;
    });
    await cache.delete(cacheKey(id), { tenant: actor.tenantId });
    return profileOf(next, true);
  }

  return {
    async create(actor, input) {
      ({ actor, input } = parseArguments(
        patientArguments.create,
        { actor, input },
        'patients.create',
      ));
      authorize(actor, 'patient:write');
      const id = PatientId.parse(uuidv7());
      const now = isoNow();
      const { nationalId, clinicIds, ...fields } = input;
      const stored = validated({
        ...fields,
        id,
        tenantId: actor.tenantId,
        clinicIds: [...clinicIds],
        createdAt: now,
        updatedAt: now,
        version: 0,
        ...(await sealNationalId(id, nationalId)),
      });
      authorizePatient(actor, 'patient:write', stored);
      await unitOfWork.run(actor, async (scope) => {
        await scope.patients.insert(stored);
        await recordModification(
          audit,
          scope,
          actor.userId,
          `Patient/${id}`,
          null,
          publicView(stored),
          {
            tenantId: actor.tenantId,
            patientId: id,
          },
        );
      });
      return profileOf(stored, true);
    },

    async get(actor, id) {
      ({ actor, id } = parseArguments(patientArguments.byId, { actor, id }, 'patients.get'));
      authorize(actor, 'patient:read');
      // getOrSet reads the cache's generations before the row, so an erasure that commits in
      // between refuses this write (see eraseSubject); a set after the read could not tell.
      const stored = await cache.getOrSet(
        cacheKey(id),
        async () => {
          const found = await unitOfWork.run(actor, (scope) =>
            scope.patients.get(actor.tenantId, id),
          );
          if (found === undefined) throw new NotFoundError('patient');
          return found;
        },
        { tenant: actor.tenantId, subject: id },
      );
      authorizePatient(actor, 'patient:read', stored);
      if (stored.erasedAt !== undefined) throw new PatientErasedError();
      // Recorded before the data is returned, for cache hits too.
      await audit.logDataAccess(
        actor.userId,
        `Patient/${id}`,
        'read',
        {},
        {
          tenantId: actor.tenantId,
          patientId: id,
        },
      );
      // A read that loaded the row before an erasure committed finds the key shredded here.
      return profileOf(stored, true).catch((error: unknown) => {
        throw error instanceof SubjectKeyShreddedError
          ? new PatientErasedError({ cause: error })
          : error;
      });
    },

    async update(actor, id, changes) {
      ({ actor, id, changes } = parseArguments(
        patientArguments.update,
        { actor, id, changes },
        'patients.update',
      ));
      const { expectedVersion, nationalId, ...fields } = changes;
      return change(
        actor,
        id,
        async (current) =>
          validated({
            ...current,
            ...fields,
            clinicIds: [...(fields.clinicIds ?? current.clinicIds)],
            ...(await sealNationalId(id, nationalId)),
            updatedAt: isoNow(),
            version: expectedVersion + 1,
          }),
        'update',
      );
    },

    async recordConsent(actor, id, flags) {
      ({ actor, id, flags } = parseArguments(
        patientArguments.recordConsent,
        { actor, id, flags },
        'patients.recordConsent',
      ));
      return change(
        actor,
        id,
        (current) =>
          Promise.resolve(
            validated({
              ...current,
              consent: { ...flags, recordedAt: isoNow() },
              updatedAt: isoNow(),
              version: current.version + 1,
            }),
          ),
        'consent',
      );
    },

    async search(actor, criteria, page) {
      ({ actor, criteria, page } = parseArguments(
        patientArguments.search,
        { actor, criteria, page },
        'patients.search',
      ));
      authorize(actor, 'patient:read', {
        tenantId: actor.tenantId,
        ...(criteria.clinicId === undefined ? {} : { clinicId: criteria.clinicId }),
      });
      const searchedBy = identifyingCriteria(criteria);
      if (searchedBy.length === 0) throw new PatientSearchEmptyError();
      checkPageCursor(page);
      const found = await unitOfWork.run(actor, (scope) =>
        scope.patients.search(actor.tenantId, criteria, page),
      );
      // Only the names of the criteria and the pseudonymous ids are recorded, never the values.
      await audit.logDataAccess(
        actor.userId,
        { type: 'Patient' },
        'search',
        { searchedBy, patientIds: found.items.map((patient) => patient.id) },
        { tenantId: actor.tenantId, patientId: null },
      );
      const items = await Promise.all(found.items.map((patient) => profileOf(patient, false)));
      return { ...found, items };
    },

    async findByNationalId(actor, nationalId) {
      ({ actor, nationalId } = parseArguments(
        patientArguments.findByNationalId,
        { actor, nationalId },
        'patients.findByNationalId',
      ));
      authorize(actor, 'patient:read');
      const index = encryptor.blindIndex(NATIONAL_ID_FIELD, nationalId);
      const found = await unitOfWork.run(actor, (scope) =>
        scope.patients.findByNationalIdIndex(actor.tenantId, index),
      );
      const visible = found.filter((patient) => {
        try {
          authorizePatient(actor, 'patient:read', patient);
          return patient.erasedAt === undefined;
        } catch {
          return false;
        }
      });
      await audit.logDataAccess(
        actor.userId,
        { type: 'Patient' },
        'search',
        { searchedBy: ['nationalId'], patientIds: visible.map((patient) => patient.id) },
        { tenantId: actor.tenantId, patientId: null },
      );
      return Promise.all(visible.map((patient) => profileOf(patient, true)));
    },

    async exportData(actor, id) {
      ({ actor, id } = parseArguments(patientArguments.byId, { actor, id }, 'patients.exportData'));
      authorize(actor, 'patient:export');
      const stored = await unitOfWork.run(actor, (scope) => load(actor, id, scope));
      authorizePatient(actor, 'patient:export', stored);
      if (stored.erasedAt !== undefined) throw new PatientErasedError();
      const profile = await profileOf(stored, true);
      await audit.logDataExport(actor.userId, id, Object.keys(profile), {
        tenantId: actor.tenantId,
        recipient: actor.patientId === id ? 'data subject' : `user ${actor.userId}`,
        legalBasis: 'data portability',
      });
      return JSON.stringify({ exportedAt: isoNow(), patient: profile }, null, 2);
    },

    async erase(actor, id) {
      ({ actor, id } = parseArguments(patientArguments.byId, { actor, id }, 'patients.erase'));
      authorize(actor, 'patient:erase');
      await unitOfWork.run(actor, async (scope) => {
        const current = await load(actor, id, scope);
        authorizePatient(actor, 'patient:erase', current);
        if (current.erasedAt !== undefined) return;
        const erased = pseudonymised(current, isoNow());
        await scope.patients.update(erased);
        // Only the version and time are recorded: the patient's key is about to be destroyed.
        await recordModification(
          audit,
          scope,
          actor.userId,
          `Patient/${id}`,
          { version: current.version },
          { version: erased.version, erasedAt: erased.erasedAt },
          { tenantId: actor.tenantId, patientId: id, action: 'erase' },
        );
      });
      // After the commit, so a failed erasure leaves the data readable, not half gone. The
      // cache's subject generation moves first: from then on no read that began before the
      // commit can store the profile, and none that begins after can find it. Shredding then
      // makes any copy sealed in the shared tier unreadable, and deleting the key frees its slot.
      await cache.eraseSubject(id, { tenant: actor.tenantId });
      await encryptor.shredSubject(id);
      await cache.delete(cacheKey(id), { tenant: actor.tenantId });
    },
  };
}
