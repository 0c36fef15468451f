/**
 * The request context: who is acting, for which tenant, why, and under which correlation id.
 * It is carried through async calls by `AsyncLocalStorage`, so loggers, audit writers and
 * repositories read it without threading it through every signature.
 *
 * @packageDocumentation
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { z } from 'zod';
import { ActorSchema } from '../authorization/actor.js';
import { CarequeueError, ValidationError, type CarequeueErrorOptions } from '../errors.js';
import { systemIdGenerator, type IdGenerator } from '../id-generator.js';
import { TenantId } from '../ids.js';
import { parseOrThrow } from '../validation.js';
import { correlationIdFrom, isValidCorrelationId } from './correlation-id.js';
import { PurposeOfUse } from './purpose-of-use.js';

const USER_AGENT_MAX_LENGTH = 512;

/**
 * The request context schema. The tenant of the actor, when there is one, must be the tenant of
 * the context.
 *
 * @example
 * ```ts
 * const context = parseOrThrow(RequestContextSchema, candidate, 'request context');
 * ```
 */
export const RequestContextSchema = z
  .object({
    correlationId: z.string().refine(isValidCorrelationId, {
      message: 'must be 1 to 128 letters, digits, dots, underscores, colons or dashes',
    }),
    tenantId: TenantId.optional(),
    actor: ActorSchema.optional(),
    purposeOfUse: PurposeOfUse.optional(),
    ip: z.union([z.ipv4(), z.ipv6()]).optional(),
    userAgent: z.string().max(USER_AGENT_MAX_LENGTH).optional(),
  })
  .refine(
    (context) =>
      context.actor === undefined ||
      context.tenantId === undefined ||
      context.actor.tenantId === context.tenantId,
    { message: 'must name the same tenant as its actor', path: ['tenantId'] },
  );

/** The context of one request or job. */
export type RequestContext = Readonly<z.output<typeof RequestContextSchema>>;

/** What {@link createRequestContext} builds a context from: raw values from the transport. */
export interface RequestContextInput {
  /** The incoming correlation id header; replaced by a new id when absent or malformed. */
  readonly correlationIdHeader?: string | readonly string[] | undefined;
  /** The authenticated actor, if any. */
  readonly actor?: unknown;
  /** The tenant; defaults to the actor's tenant. */
  readonly tenantId?: unknown;
  readonly purposeOfUse?: unknown;
  readonly ip?: string | undefined;
  /** Truncated to 512 characters. */
  readonly userAgent?: string | undefined;
}

/**
 * Builds a validated, frozen request context from transport values.
 *
 * @throws `ValidationError` when the input is not an object, the actor, tenant, purpose of use
 * or ip is malformed, or `ids` is not an id generator.
 * @example
 * ```ts
 * const context = createRequestContext({
 *   correlationIdHeader: request.headers['x-correlation-id'],
 *   actor,
 *   purposeOfUse: 'TREAT',
 *   ip: request.ip,
 *   userAgent: request.headers['user-agent'],
 * });
 * ```
 */
export function createRequestContext(
  input: RequestContextInput,
  ids: IdGenerator = systemIdGenerator,
): RequestContext {
  // Without these checks a null input fails with a raw TypeError reading `actor`, and an id
  // generator without `next` one calling it.
  const issues = [
    ...(typeof input === 'object' && input !== null
      ? []
      : [{ path: 'input', message: 'must be an object' }]),
    ...(typeof ids === 'object' && ids !== null && typeof ids.next === 'function'
      ? []
      : [{ path: 'ids', message: 'must be an id generator (an object with a next function)' }]),
  ];
  if (issues.length > 0) {
    throw new ValidationError(
      'The request context input is invalid. Pass an object of transport values, such as { actor, purposeOfUse }, and an id generator or nothing.',
      issues,
    );
  }
  const actorTenant =
    typeof input.actor === 'object' && input.actor !== null
      ? (input.actor as { tenantId?: unknown }).tenantId
      : undefined;
  const context = parseOrThrow(
    RequestContextSchema,
    {
      correlationId: correlationIdFrom(input.correlationIdHeader, ids),
      tenantId: input.tenantId ?? actorTenant,
      actor: input.actor,
      purposeOfUse: input.purposeOfUse,
      ip: input.ip,
      // Only a string is shortened; anything else goes to the schema, which reports it.
      userAgent:
        typeof input.userAgent === 'string'
          ? input.userAgent.slice(0, USER_AGENT_MAX_LENGTH)
          : input.userAgent,
    },
    'request context',
  );
  return Object.freeze(context);
}

/**
 * Thrown by {@link requireContext} when code that needs a request context runs outside one.
 *
 * @example
 * ```ts
 * if (err instanceof MissingContextError) logger.error({ err }, 'handler ran outside runWithContext');
 * ```
 */
export class MissingContextError extends CarequeueError {
  constructor(options?: CarequeueErrorOptions) {
    super(
      'CONTEXT_MISSING',
      500,
      'No request context is active. Run the call inside runWithContext(context, fn); the HTTP middleware does this for each request.',
      options,
    );
  }
}

const storage = new AsyncLocalStorage<RequestContext>();

/**
 * Runs `fn` with `context` as the current request context, through every await inside it.
 *
 * @example
 * ```ts
 * await runWithContext(context, () => handler(request));
 * ```
 */
export function runWithContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

/**
 * The current request context, or `undefined` outside {@link runWithContext}.
 *
 * @example
 * ```ts
 * const correlationId = getContext()?.correlationId;
 * ```
 */
export function getContext(): RequestContext | undefined {
  return storage.getStore();
}

/**
 * The current request context.
 *
 * @throws {@link MissingContextError} outside {@link runWithContext}.
 * @example
 * ```ts
 * const { actor, purposeOfUse } = requireContext();
 * ```
 */
export function requireContext(): RequestContext {
  const context = storage.getStore();
  if (context === undefined) throw new MissingContextError();
  return context;
}
