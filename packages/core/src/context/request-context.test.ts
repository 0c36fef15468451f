import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.js';
import { createDeterministicIdGenerator } from '../id-generator.js';
import {
  correlationIdFrom,
  CORRELATION_ID_MAX_LENGTH,
  isValidCorrelationId,
} from './correlation-id.js';
import {
  createRequestContext,
  getContext,
  MissingContextError,
  requireContext,
  runWithContext,
  type RequestContextInput,
} from './request-context.js';

const ids = createDeterministicIdGenerator({ seed: 5 });
const tenantId = ids.next();
const actor = { userId: ids.next(), tenantId, roles: ['receptionist'], aal: 'aal2', clinicIds: [] };

describe('correlationIdFrom', () => {
  it('adopts the header value when it is a well-formed id', () => {
    expect(correlationIdFrom('req-42.a:b_c')).toBe('req-42.a:b_c');
    expect(correlationIdFrom(['  first  ', 'second'])).toBe('first');
  });

  it('generates a new id when the header is missing, too long or malformed', () => {
    const generator = createDeterministicIdGenerator({ seed: 9 });
    const expected = createDeterministicIdGenerator({ seed: 9 });
    for (const header of [
      undefined,
      [],
      '',
      'a\nb',
      '<script>',
      'x'.repeat(CORRELATION_ID_MAX_LENGTH + 1),
    ]) {
      expect(correlationIdFrom(header, generator)).toBe(expected.next());
    }
    expect(isValidCorrelationId('x'.repeat(CORRELATION_ID_MAX_LENGTH))).toBe(true);
  });
});

describe('createRequestContext', () => {
  it('builds a frozen context and takes the tenant from the actor when none is given', () => {
    const context = createRequestContext({
      correlationIdHeader: 'req-1',
      actor,
      purposeOfUse: 'TREAT',
      ip: '203.0.113.7',
      userAgent: 'u'.repeat(600),
    });
    expect(context).toMatchObject({
      correlationId: 'req-1',
      tenantId,
      purposeOfUse: 'TREAT',
      ip: '203.0.113.7',
    });
    expect(context.userAgent).toHaveLength(512);
    expect(Object.isFrozen(context)).toBe(true);
  });

  it('builds an anonymous context with a generated correlation id when given nothing', () => {
    const context = createRequestContext(
      { ip: '2001:db8::1' },
      createDeterministicIdGenerator({ seed: 2 }),
    );
    expect(context.correlationId).toBe(createDeterministicIdGenerator({ seed: 2 }).next());
    expect(context.actor).toBeUndefined();
  });

  it('throws a ValidationError when the tenant differs from the actor tenant or the purpose is unknown', () => {
    expect(() => createRequestContext({ actor, tenantId: ids.next() })).toThrow(ValidationError);
    expect(() => createRequestContext({ actor, purposeOfUse: 'CURIOSITY' })).toThrow(
      ValidationError,
    );
    expect(() => createRequestContext({ ip: 'not-an-ip' })).toThrow(ValidationError);
  });

  describe('with malformed input', () => {
    const marker = `marker-${Math.random().toString(36).slice(2)}`;

    function validationErrorOf(input: unknown, ids?: unknown): ValidationError {
      try {
        createRequestContext(input as RequestContextInput, ids as never);
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError);
        return error as ValidationError;
      }
      throw new Error('expected a ValidationError, but createRequestContext returned');
    }

    it('throws ValidationError naming the argument when createRequestContext gets null (raw TypeError in createRequestContext)', () => {
      expect(validationErrorOf(null).issues).toEqual([
        { path: 'input', message: 'must be an object' },
      ]);
    });

    it('throws ValidationError naming the field when the user agent or correlation header is not a string (raw TypeError in createRequestContext)', () => {
      const error = validationErrorOf({ correlationIdHeader: [42], userAgent: 42 });
      expect(error.issues.map((issue) => issue.path)).toEqual(['userAgent']);
    });

    it('refuses a circular actor without echoing it when createRequestContext gets one (guard: circular object overflows the stack; zod already stopped it)', () => {
      const circular: Record<string, unknown> = { userId: marker, tenantId: marker };
      circular['self'] = circular;
      circular['roles'] = [circular];
      const error = validationErrorOf({ actor: circular, ip: marker });
      expect(error.issues.map((issue) => issue.path)).toContain('actor.userId');
      expect(error.message).not.toContain(marker);
      expect(JSON.stringify(error.toProblem())).not.toContain(marker);
    });

    it('throws ValidationError naming ids when createRequestContext gets an id generator without next (raw TypeError in createRequestContext)', () => {
      for (const ids of [null, marker, [], () => marker, { next: marker }]) {
        const error = validationErrorOf({}, ids);
        expect(error.issues.map((issue) => issue.path)).toEqual(['ids']);
        expect(JSON.stringify(error.toProblem())).not.toContain(marker);
      }
    });
  });
});

describe('runWithContext', () => {
  it('exposes the context across awaits inside the callback and not outside it', async () => {
    const context = createRequestContext({ correlationIdHeader: 'req-2', actor });
    const seen = await runWithContext(context, async () => {
      await Promise.resolve();
      return getContext()?.correlationId;
    });
    expect(seen).toBe('req-2');
    expect(getContext()).toBeUndefined();
  });

  it('keeps concurrent requests apart when they interleave', async () => {
    const run = (id: string) =>
      runWithContext(createRequestContext({ correlationIdHeader: id }), async () => {
        await new Promise<void>((resolve) => queueMicrotask(resolve));
        return requireContext().correlationId;
      });
    expect(await Promise.all([run('a'), run('b'), run('c')])).toEqual(['a', 'b', 'c']);
  });
});

describe('requireContext', () => {
  it('throws MissingContextError with code CONTEXT_MISSING when called outside a context', () => {
    expect(() => requireContext()).toThrow(MissingContextError);
    try {
      requireContext();
    } catch (error) {
      expect((error as MissingContextError).code).toBe('CONTEXT_MISSING');
      expect((error as MissingContextError).status).toBe(500);
    }
  });
});
