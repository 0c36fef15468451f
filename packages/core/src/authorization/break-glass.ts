import { z } from 'zod';
import {
  functionIssues,
  integerIssues,
  isRecord,
  numberIssues,
  optionalFunctionIssues,
  recordIssues,
  throwIfIssues,
} from '../argument-checks.js';
import type { Clock } from '../clock.js';
import { HOUR_MS } from '../durations.js';
import { ValidationError, type ErrorIssue } from '../errors.js';
import { PatientId } from '../ids.js';
import { safeIssues } from '../validation.js';
import { ActorSchema, type Actor } from './actor.js';
import { authorize, type AuthorizeOptions } from './authorize.js';
import type { BreakGlassGrant } from './break-glass-grant.js';
import type { BreakGlassStore } from './break-glass-store.js';

/**
 * The alert raised when a break-glass grant is opened. It carries ids and the reason, never
 * patient data.
 *
 * @example
 * ```ts
 * const onOpened = (event: BreakGlassOpenedEvent) => pager.notify(`break-glass ${event.grant.id}`);
 * ```
 */
export interface BreakGlassOpenedEvent {
  readonly type: 'break-glass.opened';
  readonly grant: BreakGlassGrant;
}

/**
 * Options of {@link createBreakGlass}.
 *
 * @example
 * ```ts
 * const options: BreakGlassOptions = { clock: systemClock, store, onOpened: (e) => audit.alert(e) };
 * ```
 */
export interface BreakGlassOptions {
  readonly clock: Clock;
  readonly store: BreakGlassStore;
  /**
   * Raises the alert (privacy officer page, audit event). Awaited; if it fails the grant is
   * revoked and the error rethrown, so no emergency access goes unreported.
   */
  readonly onOpened: (event: BreakGlassOpenedEvent) => void | Promise<void>;
  /**
   * How long a grant lasts when the request names no duration, in milliseconds.
   *
   * @default 3_600_000 (one hour)
   */
  readonly defaultDurationMs?: number;
  /**
   * The longest grant that may be opened, in milliseconds.
   *
   * @default 14_400_000 (four hours)
   */
  readonly maxDurationMs?: number;
  /**
   * The shortest accepted reason, in characters after trimming.
   *
   * @default 10
   */
  readonly minReasonLength?: number;
  /**
   * Makes grant ids.
   *
   * @default `crypto.randomUUID()`
   */
  readonly generateId?: () => string;
}

/**
 * What a clinician asks for when breaking the glass.
 *
 * @example
 * ```ts
 * const request: BreakGlassRequest = { patientId, reason: 'Patient collapsed in the waiting room', durationMs: 1_800_000 };
 * ```
 */
export interface BreakGlassRequest {
  readonly patientId: NonNullable<Actor['patientId']>;
  readonly reason: string;
  readonly durationMs?: number;
}

/**
 * Opens, lists and ends emergency access grants.
 *
 * @example
 * ```ts
 * const grant = await breakGlass.open(clinician, { patientId, reason: 'Unconscious patient in ER' });
 * authorize(clinician, 'patient:read', { tenantId, patientId }, await breakGlass.optionsFor(clinician));
 * ```
 */
export interface BreakGlass {
  /**
   * Opens a grant for the clinician on one patient's records and raises the alert.
   *
   * @throws {@link ForbiddenError} when the actor lacks `record:break-glass` (clinicians with aal2 hold it).
   * @throws {@link ValidationError} when the actor is not an {@link Actor} or `request` not an
   * object (paths under `actor` and `request`), or, in the request, the patient id is not a UUID,
   * the reason is too short, longer than 2000 characters or holds a NUL character, or the
   * duration is out of range (paths `patientId`, `reason`, `durationMs`).
   */
  open(actor: Actor, request: BreakGlassRequest): Promise<BreakGlassGrant>;
  /**
   * The actor's live grants and the current time, to pass to {@link authorize} or {@link can}.
   *
   * @throws {@link ValidationError} when the actor is not an {@link Actor} (paths under `actor`).
   */
  optionsFor(actor: Actor): Promise<AuthorizeOptions>;
  /**
   * Ends a grant now.
   *
   * @throws {@link ValidationError} when `grantId` is not a string of 1 to 256 characters.
   */
  revoke(grantId: string): Promise<void>;
}

/** The longest reason accepted, in characters after trimming. */
const MAX_REASON_LENGTH = 2000;

/** The longest grant id accepted by {@link BreakGlass.revoke}. */
const MAX_GRANT_ID_LENGTH = 256;

function hasMethods(value: unknown, names: readonly string[]): boolean {
  return isRecord(value) && names.every((name) => typeof value[name] === 'function');
}

function optionsIssues(options: BreakGlassOptions): ErrorIssue[] {
  if (!isRecord(options)) {
    return [{ path: 'options', message: 'must be an object with clock, store and onOpened' }];
  }
  const { defaultDurationMs, maxDurationMs, minReasonLength } = options;
  return [
    ...(hasMethods(options.clock, ['now'])
      ? []
      : [{ path: 'options.clock', message: 'must be a Clock' }]),
    ...(hasMethods(options.store, ['save', 'findLive', 'revoke'])
      ? []
      : [{ path: 'options.store', message: 'must be a BreakGlassStore' }]),
    ...functionIssues(options.onOpened, 'options.onOpened'),
    ...(maxDurationMs === undefined ? [] : numberIssues(maxDurationMs, 'options.maxDurationMs', 1)),
    ...(defaultDurationMs === undefined
      ? []
      : numberIssues(
          defaultDurationMs,
          'options.defaultDurationMs',
          1,
          typeof maxDurationMs === 'number' ? maxDurationMs : Number.MAX_VALUE,
        )),
    ...(minReasonLength === undefined
      ? []
      : integerIssues(minReasonLength, 'options.minReasonLength', 0, MAX_REASON_LENGTH)),
    ...optionalFunctionIssues(options.generateId, 'options.generateId'),
  ];
}

/** The issues of an actor argument, each path starting with `actor`. */
function actorIssues(actor: unknown): ErrorIssue[] {
  const result = z.safeParse(ActorSchema, actor, { reportInput: true });
  if (result.success) return [];
  return safeIssues(ActorSchema, result.error.issues).map((issue) => ({
    path: issue.path === '' ? 'actor' : `actor.${issue.path}`,
    message: issue.message,
  }));
}

/**
 * Creates the break-glass service: a clinician may open time-limited emergency access to a
 * patient's records outside their clinics, with a reason; every grant is recorded and alerted.
 *
 * @example
 * ```ts
 * const breakGlass = createBreakGlass({
 *   clock: systemClock,
 *   store: memoryBreakGlassStore(),
 *   onOpened: (event) => alerts.publish(event),
 * });
 * ```
 * @throws {@link ValidationError} naming the option when `options` is not an object, `clock`,
 * `store` or `onOpened` is missing or of the wrong kind, or a duration or length is out of range.
 */
export function createBreakGlass(options: BreakGlassOptions): BreakGlass {
  throwIfIssues('createBreakGlass', optionsIssues(options));
  const {
    clock,
    store,
    onOpened,
    defaultDurationMs = HOUR_MS,
    maxDurationMs = 4 * HOUR_MS,
    minReasonLength = 10,
    generateId = () => globalThis.crypto.randomUUID(),
  } = options;

  return {
    async open(actor, request) {
      throwIfIssues('open', [
        ...actorIssues(actor),
        ...recordIssues(request, 'request', 'patientId and reason'),
      ]);
      authorize(actor, 'record:break-glass');
      const reason = typeof request.reason === 'string' ? request.reason.trim() : undefined;
      const durationMs = request.durationMs ?? defaultDurationMs;
      const issues = [
        ...(PatientId.safeParse(request.patientId).success
          ? []
          : [{ path: 'patientId', message: 'must be a UUID' }]),
        ...(reason === undefined ||
        reason.length < minReasonLength ||
        reason.length > MAX_REASON_LENGTH ||
        reason.includes('\u0000')
          ? [
              {
                path: 'reason',
                message: `must explain the emergency in ${minReasonLength} to ${MAX_REASON_LENGTH} characters, without NUL characters`,
              },
            ]
          : []),
        ...(!Number.isFinite(durationMs) || durationMs <= 0 || durationMs > maxDurationMs
          ? [{ path: 'durationMs', message: `must be between 1 and ${maxDurationMs} milliseconds` }]
          : []),
      ];
      if (issues.length > 0) {
        throw new ValidationError('The break-glass request is invalid.', issues);
      }
      const openedAt = clock.now();
      const grant: BreakGlassGrant = {
        id: generateId(),
        tenantId: actor.tenantId,
        userId: actor.userId,
        patientId: request.patientId,
        reason: reason as string,
        openedAt,
        expiresAt: openedAt + durationMs,
      };
      await store.save(grant);
      try {
        await onOpened({ type: 'break-glass.opened', grant });
      } catch (error: unknown) {
        await store.revoke(grant.id, clock.now());
        throw error;
      }
      return grant;
    },
    async optionsFor(actor) {
      throwIfIssues('optionsFor', actorIssues(actor));
      const now = clock.now();
      return {
        breakGlass: { grants: await store.findLive(actor.tenantId, actor.userId, now), now },
      };
    },
    async revoke(grantId) {
      throwIfIssues(
        'revoke',
        typeof grantId === 'string' && grantId.length > 0 && grantId.length <= MAX_GRANT_ID_LENGTH
          ? []
          : [
              {
                path: 'grantId',
                message: `must be a string of 1 to ${MAX_GRANT_ID_LENGTH} characters`,
              },
            ],
      );
      await store.revoke(grantId, clock.now());
    },
  };
}
