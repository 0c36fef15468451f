import { systemClock, uuidv7, type Clock, type ErrorIssue } from '@carequeue/core';
import { getContext, PURPOSES_OF_USE, type PurposeOfUse } from '@carequeue/core/context';
import type { FieldEncryptor } from '@carequeue/core/crypto';
import {
  checkArguments,
  clockIssues,
  dateIssues,
  functionIssues,
  isRecord,
  jsonIssues,
  objectIssues,
  oneOfIssues,
  portIssues,
  storeIssues,
  textIssues,
  textListIssues,
  uuidIssues,
} from './argument-checks.js';
import {
  AUTH_EVENT_KINDS,
  type AuditCategory,
  type AuditEvent,
  type AuditJsonValue,
  type AuditLog,
  type AuditOutcome,
  type AuthEventKind,
  type RetentionClass,
} from './audit-event.js';
import type { AuditStore } from './audit-store.js';
import { AuditTenantMissingError } from './errors.js';
import { checkFactoryOptions, optionsIssues } from './factory-options.js';
import { holdsField } from './holds-field.js';
import {
  MAX_TRAIL_PAGE_SIZE,
  resolveTrailQuery,
  type AuditTrailPage,
  type AuditTrailQuery,
} from './trail-query.js';
import {
  changedFieldPaths,
  DEFAULT_PROTECTED_FIELDS,
  FREE_TEXT_FIELDS,
  protectValue,
  toAuditJson,
} from './value-protection.js';

/**
 * What an event is about: `'Patient/<id>'`, a bare type such as `'Schedule'`, or an object.
 *
 * @example
 * ```ts
 * const resource: AuditResource = { type: 'Appointment', id: appointmentId };
 * ```
 */
export type AuditResource = string | { readonly type: string; readonly id?: string | null };

/**
 * Fields of an event that calls may set; those of the request context fill the rest.
 *
 * @example
 * ```ts
 * await audit.logDataAccess(userId, `Patient/${patientId}`, 'read', {}, { purposeOfUse: 'TREAT' });
 * ```
 */
export interface AuditEventOptions {
  readonly tenantId?: string;
  readonly patientId?: string | null;
  readonly outcome?: AuditOutcome;
  readonly purposeOfUse?: PurposeOfUse | null;
  readonly dataCategories?: readonly string[];
  readonly sessionId?: string | null;
  readonly correlationId?: string | null;
  readonly ipAddress?: string | null;
  readonly userAgent?: string | null;
  /** @default the service's retention class */
  readonly retentionClass?: RetentionClass;
  /**
   * Ids, codes and counts about the event. In an event about a patient, entries named in
   * {@link FREE_TEXT_FIELDS} or tagged as PHI are encrypted under the patient's key (redacted
   * without an encryptor), so crypto-shredding erases them.
   */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/**
 * Options of a data modification event.
 *
 * @example
 * ```ts
 * await audit.logDataModification(userId, `Patient/${id}`, before, after, { action: 'merge' });
 * ```
 */
export interface ModificationOptions extends AuditEventOptions {
  /** @default 'create' without an old value, 'delete' without a new one, else 'update' */
  readonly action?: string;
}

/**
 * The disclosure details of an export: who received the data, why, and on what legal basis
 * (HIPAA §164.528 accounting of disclosures).
 *
 * @example
 * ```ts
 * const disclosure: DisclosureOptions = {
 *   recipient: 'Acme Insurance, 1 Main St', purposeOfUse: 'HPAYMT', legalBasis: '45 CFR 164.506(c)',
 * };
 * ```
 */
export interface DisclosureOptions extends AuditEventOptions {
  readonly recipient?: string | null;
  readonly legalBasis?: string | null;
}

/**
 * Options of an authentication or security event.
 *
 * @example
 * ```ts
 * await audit.logAuthEvent('login_failed', { userId: null, outcome: 'failure', metadata: { reason: 'bad_password' } });
 * ```
 */
export interface AuthEventOptions extends AuditEventOptions {
  readonly userId?: string | null;
  /** @default 'Session' */
  readonly resource?: AuditResource;
}

/**
 * Writes events; the store's `append` unless a buffered writer is given for reads.
 *
 * @example
 * ```ts
 * const writer: AuditEventWriter = { write: (event) => store.append([event]) };
 * ```
 */
export interface AuditEventWriter {
  write(event: AuditEvent): Promise<void>;
}

/**
 * Options of {@link createAuditLogService}.
 *
 * @example
 * ```ts
 * createAuditLogService({ store, encryptor, clock: systemClock });
 * ```
 */
export interface AuditLogServiceOptions {
  readonly store: AuditStore;
  /** @default systemClock */
  readonly clock?: Clock;
  /** @default uuidv7 */
  readonly ids?: () => string;
  /** Encrypts protected fields under the subject's key; without it they are redacted. */
  readonly encryptor?: FieldEncryptor;
  /**
   * Field names protected besides {@link DEFAULT_PROTECTED_FIELDS} (in old and new values and in
   * metadata) and {@link FREE_TEXT_FIELDS} (in metadata).
   */
  readonly protectedFields?: Iterable<string>;
  /** @default 'standard' */
  readonly retentionClass?: RetentionClass;
  /** Where read events go (a buffered writer); other events go to the store. */
  readonly readWriter?: AuditEventWriter;
}

/**
 * The audit log: records reads, changes, exports and authentication events, and reads trails.
 *
 * @example
 * ```ts
 * await audit.logDataAccess(userId, `Patient/${patientId}`, 'read', { fields: ['name'] });
 * const trail = await audit.getAuditTrail(patientId);
 * ```
 */
export interface AuditLogService {
  /** Records a read (view, search, print) and resolves once it is durable. */
  logDataAccess(
    userId: string | null | undefined,
    resource: AuditResource,
    action: string,
    metadata?: Readonly<Record<string, unknown>>,
    options?: AuditEventOptions,
  ): Promise<void>;
  /** Records a change with protected old/new values and the changed fields. */
  logDataModification(
    userId: string | null | undefined,
    resource: AuditResource,
    oldValue: unknown,
    newValue: unknown,
    options?: ModificationOptions,
  ): Promise<void>;
  /** Records a disclosure of a patient's data. */
  logDataExport(
    userId: string | null | undefined,
    patientId: string,
    exportedFields: readonly string[],
    disclosure?: DisclosureOptions,
  ): Promise<void>;
  /** Records an authentication or security event. */
  logAuthEvent(kind: AuthEventKind, options?: AuthEventOptions): Promise<void>;
  /** Builds a modification event without writing it, for `recordInTransaction`. */
  buildModificationEvent(
    userId: string | null | undefined,
    resource: AuditResource,
    oldValue: unknown,
    newValue: unknown,
    options?: ModificationOptions,
  ): Promise<AuditEvent>;
  /** Every event about a patient between two dates (inclusive), oldest first. */
  getAuditTrail(
    patientId: string,
    startDate?: Date,
    endDate?: Date,
    options?: { readonly tenantId?: string },
  ): Promise<AuditLog[]>;
  /** One page of a trail; the tenant defaults to the request context's. */
  queryTrail(
    query: Omit<AuditTrailQuery, 'tenantId'> & { readonly tenantId?: string },
  ): Promise<AuditTrailPage>;
}

const OUTCOMES = ['success', 'failure', 'denied'];
const RETENTION_CLASSES = ['standard', 'extended'];
const optionalNullableText = { optional: true, nullable: true } as const;

function metadataIssues(value: unknown, path: string): ErrorIssue[] {
  const shape = objectIssues(value, path, { optional: true });
  return shape.length > 0 ? shape : jsonIssues(value, path);
}

function resourceIssues(value: unknown, path: string): ErrorIssue[] {
  if (typeof value === 'string') return textIssues(value, path, { nonEmpty: true });
  if (!isRecord(value)) {
    return [{ path, message: "must be 'Type/id', a type, or an object { type, id }" }];
  }
  return [
    ...textIssues(value['type'], `${path}.type`, { nonEmpty: true }),
    ...textIssues(value['id'], `${path}.id`, optionalNullableText),
  ];
}

// The fields every event option object may set (AuditEventOptions), plus those of its subtypes.
function eventOptionsIssues(
  value: unknown,
  path: string,
  extra: (options: Record<string, unknown>) => ErrorIssue[] = () => [],
): ErrorIssue[] {
  if (value === undefined) return [];
  if (!isRecord(value)) return objectIssues(value, path, { optional: true });
  const at = (field: string): string => `${path}.${field}`;
  return [
    ...uuidIssues(value['tenantId'], at('tenantId'), { optional: true }),
    ...textIssues(value['patientId'], at('patientId'), optionalNullableText),
    ...oneOfIssues(value['outcome'], at('outcome'), OUTCOMES, { optional: true }),
    ...oneOfIssues(
      value['purposeOfUse'],
      at('purposeOfUse'),
      PURPOSES_OF_USE,
      optionalNullableText,
    ),
    ...textListIssues(value['dataCategories'], at('dataCategories'), { optional: true }),
    ...textIssues(value['sessionId'], at('sessionId'), optionalNullableText),
    ...textIssues(value['correlationId'], at('correlationId'), optionalNullableText),
    ...textIssues(value['ipAddress'], at('ipAddress'), optionalNullableText),
    ...textIssues(value['userAgent'], at('userAgent'), optionalNullableText),
    ...oneOfIssues(value['retentionClass'], at('retentionClass'), RETENTION_CLASSES, {
      optional: true,
    }),
    ...metadataIssues(value['metadata'], at('metadata')),
    ...extra(value),
  ];
}

const userIdIssues = (value: unknown): ErrorIssue[] =>
  textIssues(value, 'userId', optionalNullableText);

function modificationIssues(
  operation: string,
  [userId, resource, oldValue, newValue, options]: readonly unknown[],
): void {
  checkArguments(
    operation,
    userIdIssues(userId),
    resourceIssues(resource, 'resource'),
    jsonIssues(oldValue, 'oldValue'),
    jsonIssues(newValue, 'newValue'),
    eventOptionsIssues(options, 'options', (fields) =>
      textIssues(fields['action'], 'options.action', { optional: true, nonEmpty: true }),
    ),
  );
}

const SERVICE_OPTIONS = [
  'store',
  'clock',
  'ids',
  'encryptor',
  'protectedFields',
  'retentionClass',
  'readWriter',
];

function serviceOptionsIssues(options: Record<string, unknown>): ErrorIssue[] {
  const fields = options['protectedFields'];
  return [
    ...storeIssues(options['store'], 'options.store'),
    ...clockIssues(options['clock'], 'options.clock'),
    ...functionIssues(options['ids'], 'options.ids', { optional: true }),
    ...portIssues(options['encryptor'], 'options.encryptor', 'a FieldEncryptor', ['encrypt'], {
      optional: true,
    }),
    ...(fields === undefined ||
    (typeof fields === 'object' &&
      fields !== null &&
      typeof (fields as Iterable<unknown>)[Symbol.iterator] === 'function')
      ? []
      : [{ path: 'options.protectedFields', message: 'must be an iterable of field names' }]),
    ...oneOfIssues(options['retentionClass'], 'options.retentionClass', RETENTION_CLASSES, {
      optional: true,
    }),
    ...portIssues(options['readWriter'], 'options.readWriter', 'an AuditEventWriter', ['write'], {
      optional: true,
    }),
  ];
}

function parseResource(resource: AuditResource): { type: string; id: string | null } {
  if (typeof resource !== 'string') return { type: resource.type, id: resource.id ?? null };
  const slash = resource.indexOf('/');
  return slash < 0
    ? { type: resource, id: null }
    : { type: resource.slice(0, slash), id: resource.slice(slash + 1) || null };
}

function metadataOf(
  value: Readonly<Record<string, unknown>> | undefined,
): Record<string, AuditJsonValue> {
  const json = toAuditJson(value ?? {});
  return json !== null && typeof json === 'object' && !Array.isArray(json)
    ? (json as Record<string, AuditJsonValue>)
    : {};
}

function tenantOf(explicit: string | undefined): string {
  const tenantId = explicit ?? getContext()?.tenantId;
  if (tenantId === undefined) throw new AuditTenantMissingError();
  return tenantId.toLowerCase();
}

/**
 * Creates the {@link AuditLogService}. Actor, tenant, ip, user agent, correlation id and purpose
 * of use come from core's request context unless a call gives them.
 *
 * @throws {AuditConfigError} when the options are not an object, hold an option it does not
 *   know, or `store`, `clock`, `ids`, `encryptor`, `protectedFields`, `retentionClass` or
 *   `readWriter` is missing where required or of the wrong type
 * @throws {AuditTenantMissingError} from its methods when no tenant is given or in context
 * @example
 * ```ts
 * import { createAuditLogService, memoryAuditStore } from '@carequeue/audit';
 *
 * const audit = createAuditLogService({ store: memoryAuditStore() });
 * await audit.logDataExport(userId, patientId, ['medications'], {
 *   tenantId, recipient: 'Dr. Lee, City Clinic', purposeOfUse: 'TREAT', legalBasis: 'treatment',
 * });
 * ```
 */
export function createAuditLogService(options: AuditLogServiceOptions): AuditLogService {
  checkFactoryOptions(
    'createAuditLogService',
    optionsIssues(options, SERVICE_OPTIONS, serviceOptionsIssues),
  );
  const { store, encryptor } = options;
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? uuidv7;
  const protectedFields = new Set([
    ...DEFAULT_PROTECTED_FIELDS,
    ...(options.protectedFields ?? []),
  ]);
  checkFactoryOptions(
    'createAuditLogService',
    textListIssues([...protectedFields], 'options.protectedFields'),
  );
  const metadataFields = new Set([...protectedFields, ...FREE_TEXT_FIELDS]);
  const appendOne = (event: AuditEvent): Promise<void> => store.append([event]);
  const readWriter = options.readWriter?.write.bind(options.readWriter) ?? appendOne;

  // Whether the event's metadata holds free text or tagged fields to protect: only in an event
  // about a patient, since only then is there a key that erasure can destroy.
  function needsProtectedMetadata(event: AuditEvent): boolean {
    return event.patientId !== null && holdsField(event.metadata, metadataFields);
  }

  /**
   * The event with the free text and tagged fields of its metadata protected under its patient's
   * key, as old and new values are. An event about no patient keeps its metadata: it has no key
   * that could erase it, and its reasons (a configuration change, a failed sign-in) must stay
   * readable; patient-identifying text belongs in an event that names the patient.
   */
  async function withProtectedMetadata(event: AuditEvent): Promise<AuditEvent> {
    if (!needsProtectedMetadata(event)) return event;
    const metadata = await protectValue(event.metadata, {
      protectedFields: metadataFields,
      eventId: event.id,
      column: 'metadata',
      subjectId: event.patientId,
      ...(encryptor ? { encryptor } : {}),
    });
    return { ...event, metadata: metadata as AuditEvent['metadata'] };
  }

  function baseEvent(
    category: AuditCategory,
    action: string,
    userId: string | null | undefined,
    resource: AuditResource,
    eventOptions: AuditEventOptions,
  ): AuditEvent {
    const context = getContext();
    const parsed = parseResource(resource);
    const patientId =
      eventOptions.patientId !== undefined
        ? eventOptions.patientId
        : parsed.type === 'Patient'
          ? parsed.id
          : null;
    return {
      id: ids(),
      tenantId: tenantOf(eventOptions.tenantId),
      userId: userId || context?.actor?.userId || null,
      category,
      action,
      resourceType: parsed.type,
      resourceId: parsed.id,
      patientId,
      outcome: eventOptions.outcome ?? 'success',
      oldValue: null,
      newValue: null,
      changedFields: [],
      ipAddress:
        eventOptions.ipAddress !== undefined ? eventOptions.ipAddress : (context?.ip ?? null),
      userAgent:
        eventOptions.userAgent !== undefined
          ? eventOptions.userAgent
          : (context?.userAgent ?? null),
      timestamp: new Date(clock.now()),
      metadata: metadataOf(eventOptions.metadata),
      purposeOfUse:
        eventOptions.purposeOfUse !== undefined
          ? eventOptions.purposeOfUse
          : (context?.purposeOfUse ?? null),
      recipient: null,
      disclosureBasis: null,
      sessionId: eventOptions.sessionId ?? null,
      correlationId:
        eventOptions.correlationId !== undefined
          ? eventOptions.correlationId
          : (context?.correlationId ?? null),
      dataCategories: [...(eventOptions.dataCategories ?? [])],
      retentionClass: eventOptions.retentionClass ?? options.retentionClass ?? 'standard',
    };
  }

  async function buildModificationEvent(
    userId: string | null | undefined,
    resource: AuditResource,
    oldValue: unknown,
    newValue: unknown,
    modification: ModificationOptions = {},
  ): Promise<AuditEvent> {
    modificationIssues('buildModificationEvent', [
      userId,
      resource,
      oldValue,
      newValue,
      modification,
    ]);
    const absent = (value: unknown): boolean => value === null || value === undefined;
    const action =
      modification.action ?? (absent(oldValue) ? 'create' : absent(newValue) ? 'delete' : 'update');
    const event = baseEvent('modification', action, userId, resource, modification);
    const protection = {
      protectedFields,
      eventId: event.id,
      subjectId: event.patientId,
      ...(encryptor ? { encryptor } : {}),
    };
    return {
      ...(await withProtectedMetadata(event)),
      oldValue: await protectValue(oldValue, { ...protection, column: 'old_value' }),
      newValue: await protectValue(newValue, { ...protection, column: 'new_value' }),
      changedFields: changedFieldPaths(oldValue, newValue, protectedFields),
    };
  }

  async function queryTrail(
    query: Omit<AuditTrailQuery, 'tenantId'> & { readonly tenantId?: string },
  ): Promise<AuditTrailPage> {
    checkArguments(
      'queryTrail',
      objectIssues(query, 'query'),
      isRecord(query) ? uuidIssues(query.tenantId, 'query.tenantId', { optional: true }) : [],
    );
    const full = { ...query, tenantId: tenantOf(query.tenantId) };
    // Refused here, so an invalid query never reaches the store.
    resolveTrailQuery(full);
    return store.query(full);
  }

  return {
    async logDataAccess(userId, resource, action, metadata, accessOptions = {}) {
      checkArguments(
        'logDataAccess',
        userIdIssues(userId),
        resourceIssues(resource, 'resource'),
        textIssues(action, 'action', { nonEmpty: true }),
        metadataIssues(metadata, 'metadata'),
        eventOptionsIssues(accessOptions, 'options'),
      );
      const event = baseEvent('access', action, userId, resource, {
        ...accessOptions,
        metadata: { ...accessOptions.metadata, ...metadata },
      });
      // A read with plain metadata reaches the writer in the same turn, as before.
      await readWriter(needsProtectedMetadata(event) ? await withProtectedMetadata(event) : event);
    },
    async logDataModification(userId, resource, oldValue, newValue, modification) {
      modificationIssues('logDataModification', [
        userId,
        resource,
        oldValue,
        newValue,
        modification,
      ]);
      await appendOne(
        await buildModificationEvent(userId, resource, oldValue, newValue, modification),
      );
    },
    async logDataExport(userId, patientId, exportedFields, disclosure = {}) {
      checkArguments(
        'logDataExport',
        userIdIssues(userId),
        textIssues(patientId, 'patientId', { nonEmpty: true }),
        textListIssues(exportedFields, 'exportedFields'),
        eventOptionsIssues(disclosure, 'disclosure', (fields) => [
          ...textIssues(fields['recipient'], 'disclosure.recipient', optionalNullableText),
          ...textIssues(fields['legalBasis'], 'disclosure.legalBasis', optionalNullableText),
        ]),
      );
      const event = baseEvent('export', 'export', userId, `Patient/${patientId}`, {
        ...disclosure,
        patientId,
        dataCategories: disclosure.dataCategories ?? exportedFields,
        metadata: { ...disclosure.metadata, exportedFields: [...exportedFields] },
      });
      await appendOne({
        ...(await withProtectedMetadata(event)),
        recipient: disclosure.recipient ?? null,
        disclosureBasis: disclosure.legalBasis ?? null,
      });
    },
    async logAuthEvent(kind, authOptions = {}) {
      checkArguments(
        'logAuthEvent',
        oneOfIssues(kind, 'kind', AUTH_EVENT_KINDS),
        eventOptionsIssues(authOptions, 'options', (fields) => [
          ...textIssues(fields['userId'], 'options.userId', optionalNullableText),
          ...(fields['resource'] === undefined
            ? []
            : resourceIssues(fields['resource'], 'options.resource')),
        ]),
      );
      const event = baseEvent('auth', kind, authOptions.userId, authOptions.resource ?? 'Session', {
        ...authOptions,
        patientId: authOptions.patientId ?? null,
      });
      await appendOne(await withProtectedMetadata(event));
    },
    buildModificationEvent,
    async getAuditTrail(patientId, startDate, endDate, trailOptions = {}) {
      checkArguments(
        'getAuditTrail',
        textIssues(patientId, 'patientId', { nonEmpty: true }),
        dateIssues(startDate, 'startDate', { optional: true }),
        dateIssues(endDate, 'endDate', { optional: true }),
        objectIssues(trailOptions, 'options'),
        isRecord(trailOptions)
          ? uuidIssues(trailOptions['tenantId'], 'options.tenantId', { optional: true })
          : [],
      );
      const items: AuditLog[] = [];
      let cursor: string | null = null;
      do {
        const page: AuditTrailPage = await queryTrail({
          patientId,
          ...(trailOptions.tenantId === undefined ? {} : { tenantId: trailOptions.tenantId }),
          ...(startDate ? { from: startDate } : {}),
          ...(endDate ? { to: endDate } : {}),
          limit: MAX_TRAIL_PAGE_SIZE,
          cursor,
        });
        items.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      return items;
    },
    queryTrail,
  };
}
