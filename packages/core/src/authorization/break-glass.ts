import type { Clock } from '../clock.js';
import { ValidationError } from '../errors.js';
import type { Actor } from './actor.js';
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
   * @throws {@link ValidationError} when the reason is too short or the duration is out of range.
   */
  open(actor: Actor, request: BreakGlassRequest): Promise<BreakGlassGrant>;
  /** The actor's live grants and the current time, to pass to {@link authorize} or {@link can}. */
  optionsFor(actor: Actor): Promise<AuthorizeOptions>;
  /** Ends a grant now. */
  revoke(grantId: string): Promise<void>;
}

/**
 * Creates the break-glass service: a clinician may open time-limited emergency access to a
 * patient's records outside their clinics, with a reason; every grant is recorded and alerted.
 *
 * @example
 * ```ts
 * const breakGlass = createBreakGlass({
 *   clock: systemClock,
 *   store: createMemoryBreakGlassStore(),
 *   onOpened: (event) => alerts.publish(event),
 * });
 * ```
 */
export function createBreakGlass(options: BreakGlassOptions): BreakGlass {
  const {
    clock,
    store,
    onOpened,
    defaultDurationMs = 3_600_000,
    maxDurationMs = 14_400_000,
    minReasonLength = 10,
    generateId = () => globalThis.crypto.randomUUID(),
  } = options;

  return {
    async open(actor, request) {
      authorize(actor, 'record:break-glass');
      const reason = request.reason.trim();
      const durationMs = request.durationMs ?? defaultDurationMs;
      const issues = [
        ...(reason.length < minReasonLength
          ? [
              {
                path: 'reason',
                message: `must explain the emergency in at least ${minReasonLength} characters`,
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
        reason,
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
      const now = clock.now();
      return {
        breakGlass: { grants: await store.findLive(actor.tenantId, actor.userId, now), now },
      };
    },
    revoke: (grantId) => store.revoke(grantId, clock.now()),
  };
}
