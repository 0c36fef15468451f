import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createRequestContext, runWithContext } from '../context/request-context.js';
import { InternalError, ValidationError } from '../errors.js';
import { createDeterministicIdGenerator } from '../id-generator.js';
import { phi } from '../phi.js';
import { createLogger, type CreateLoggerOptions } from './create-logger.js';
import { createRedactor } from './redaction.js';

function capture(options: CreateLoggerOptions = {}) {
  const lines: string[] = [];
  const logger = createLogger({
    ...options,
    destination: { write: (line) => void lines.push(line) },
  });
  const records = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, lines, records };
}

const ids = createDeterministicIdGenerator({ seed: 21 });
const tenantId = ids.next();

describe('createLogger', () => {
  it('writes JSON lines with level, time, message and fields when logging', () => {
    const { logger, records } = capture({ name: 'booking', clock: { now: () => 1234 } });
    logger.info({ appointmentId: 'a-1', count: 2 }, 'booked');
    logger.warn('plain message');
    expect(records()).toEqual([
      { level: 'info', time: 1234, name: 'booking', appointmentId: 'a-1', count: 2, msg: 'booked' },
      { level: 'warn', time: 1234, name: 'booking', msg: 'plain message' },
    ]);
  });

  it('drops lines below the configured level', () => {
    const { logger, records } = capture({ level: 'warn' });
    logger.debug('d');
    logger.info('i');
    logger.error({ a: 1 }, 'e');
    expect(records().map((record) => record['msg'])).toEqual(['e']);
  });

  it('adds the correlation id and tenant of the current context when inside runWithContext', () => {
    const { logger, records } = capture();
    const actor = { userId: ids.next(), tenantId, roles: ['clinician'], aal: 'aal2' };
    runWithContext(createRequestContext({ correlationIdHeader: 'req-77', actor }), () =>
      logger.info('inside'),
    );
    runWithContext(createRequestContext({ correlationIdHeader: 'req-78' }), () =>
      logger.info('anonymous'),
    );
    logger.info('outside');
    expect(records().map((r) => [r['correlationId'], r['tenantId']])).toEqual([
      ['req-77', tenantId],
      ['req-78', undefined],
      [undefined, undefined],
    ]);
  });

  it('redacts tagged fields, credentials and child bindings at any depth', () => {
    const { logger, records } = capture({ base: { apiKey: 'k' } });
    const child = logger.child({ patient: { givenName: 'Ada' }, clinicId: 'c-1' });
    child.info(
      {
        request: {
          headers: { Authorization: 'Bearer abc', 'set-cookie': ['sid=1'], 'x-api-key': 'k2' },
        },
        users: [{ password: 'p', refresh_token: 't', email: 'a@b.c', id: 'u-1' }],
        meta: new Map([['dateOfBirth', '1990-01-01']]),
      },
      'request',
    );
    expect(records()[0]).toMatchObject({
      apiKey: '[REDACTED]',
      patient: { givenName: '[REDACTED]' },
      clinicId: 'c-1',
      request: {
        headers: {
          Authorization: '[REDACTED]',
          'set-cookie': '[REDACTED]',
          'x-api-key': '[REDACTED]',
        },
      },
      users: [
        { password: '[REDACTED]', refresh_token: '[REDACTED]', email: '[REDACTED]', id: 'u-1' },
      ],
      meta: { dateOfBirth: '[REDACTED]' },
    });
  });

  it('redacts tagged fields of host schemas and extra keys when given', () => {
    const Pet = z.object({ ownerNickname: phi('direct', z.string()) });
    const { logger, records } = capture({ schemas: [Pet], redactKeys: ['insurance_no'] });
    logger.info({ ownerNickname: 'Bo', insuranceNo: '42', species: 'cat' });
    expect(records()[0]).toMatchObject({
      ownerNickname: '[REDACTED]',
      insuranceNo: '[REDACTED]',
      species: 'cat',
    });
  });

  it('serializes CareQueue errors through toJSON and hides foreign error messages', () => {
    const { logger, records } = capture();
    const root = Object.assign(new Error('duplicate key (email)=(ada@example.com)'), {
      code: '23505',
    });
    const err = new InternalError('The booking could not be saved.', { cause: root });
    logger.error({ err }, 'failed');
    const record = records()[0] as { err: Record<string, unknown> };
    expect(record.err).toMatchObject({
      name: 'InternalError',
      code: 'INTERNAL',
      status: 500,
      message: 'The booking could not be saved.',
      cause: { name: 'Error', code: '23505', message: '[REDACTED]' },
    });
    expect(JSON.stringify(record)).not.toContain('ada@example.com');
    expect(Array.isArray(record.err['stack'])).toBe(true);
  });

  it('keeps foreign error messages only when told to', () => {
    const { logger, records } = capture({ includeForeignErrorMessages: true });
    logger.error({ err: new TypeError('boom') });
    expect(records()[0]).toMatchObject({ err: { name: 'TypeError', message: 'boom' } });
  });

  it('writes odd values safely when fields hold cycles, errors, dates, binaries and functions', () => {
    const { logger, records } = capture();
    const cyclic: Record<string, unknown> = { id: 'x' };
    cyclic['self'] = cyclic;
    let deep: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < 20; i += 1) deep = { deep };
    const odd = Object.assign(new Error('x'), { name: 'bad name!' });
    logger.info({
      cyclic,
      deep,
      when: new Date(Date.UTC(2026, 0, 1)),
      invalid: new Date(Number.NaN),
      bytes: new Uint8Array(3),
      big: 10n,
      sym: Symbol('s'),
      fn: () => 1,
      set: new Set(['a']),
      agg: new AggregateError([new Error('inner secret')], 'outer'),
      odd,
      validation: new ValidationError('The patient is invalid.', [
        { path: 'contact.phone', message: 'is required' },
      ]),
    });
    logger.info(Object.assign(new Error('direct'), {}) as unknown as Record<string, unknown>);
    const [first, second] = records();
    expect(first).toMatchObject({
      cyclic: { id: 'x', self: '[Circular]' },
      when: '2026-01-01T00:00:00.000Z',
      invalid: null,
      bytes: '[Binary 3 bytes]',
      big: '10',
      sym: 'Symbol(s)',
      set: ['a'],
      agg: {
        name: 'AggregateError',
        message: '[REDACTED]',
        errors: [{ name: 'Error', message: '[REDACTED]' }],
      },
      odd: { name: 'Error' },
      validation: { issues: [{ path: 'contact.phone', message: 'is required' }] },
    });
    expect(JSON.stringify(first)).toContain('[Truncated]');
    expect(first).not.toHaveProperty('fn');
    expect(second).toMatchObject({ err: { name: 'Error', message: '[REDACTED]' } });
  });

  it('wraps a non-object value under value when fields are not an object', () => {
    const { logger, records } = capture();
    logger.info([1, 2] as unknown as Record<string, unknown>, 'list');
    expect(records()[0]).toMatchObject({ value: [1, 2], msg: 'list' });
  });
});

const MARK = 'PHI\u00a7';
const phiText = fc.string({ minLength: 1, maxLength: 10 }).map((text) => `${MARK}${text}`);
const patientArb = fc.record({
  id: fc.uuid(),
  givenName: phiText,
  familyName: phiText,
  dateOfBirth: phiText,
  contact: fc.record({ phone: phiText, email: phiText, preferredChannel: fc.constant('sms') }),
  address: fc.record({
    line1: phiText,
    city: phiText,
    postalCode: phiText,
    country: fc.constant('US'),
  }),
  medicalRecordNumber: phiText,
  nationalId: phiText,
  notes: phiText,
});

type Wrap = (inner: unknown, leak: string) => unknown;
const wrappers: fc.Arbitrary<Wrap>[] = [
  fc
    .constantFrom('data', 'items', 'payload', 'result')
    .map((key) => (inner: unknown) => ({ [key]: inner })),
  fc.constant((inner: unknown) => [inner, 'x']),
  fc.constant((inner: unknown) => new InternalError('Saving failed.', { cause: inner })),
  fc.constant(
    (inner: unknown, leak: string) => new Error(`lookup failed for ${leak}`, { cause: inner }),
  ),
  fc.constant((inner: unknown) => new Map([['entry', inner]])),
];

describe('createLogger redaction (property)', () => {
  it('never lets a tagged patient value reach the output when patients are nested at random depth', () => {
    fc.assert(
      fc.property(
        fc.array(patientArb, { minLength: 1, maxLength: 3 }),
        fc.array(fc.oneof(...wrappers), { maxLength: 8 }),
        fc.boolean(),
        (patients, wraps, viaChild) => {
          const { logger, lines } = capture();
          const leak = patients[0]?.contact.email ?? MARK;
          const nested = wraps.reduce<unknown>((inner, wrap) => wrap(inner, leak), patients);
          const target = viaChild ? logger.child({ bound: nested }) : logger;
          target.error({ err: nested, payload: { patients } }, 'logged');
          expect(lines).toHaveLength(1);
          expect(lines[0]).not.toContain(MARK);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('createLogger with circular fields', () => {
  it('writes a [Circular] marker when an error is its own cause or holds itself in errors (guard: circular object overflows the stack)', () => {
    const { logger, records } = capture();
    const selfCaused = new InternalError();
    Object.defineProperty(selfCaused, 'cause', { value: selfCaused });
    const aggregate = new AggregateError([], 'outer');
    aggregate.errors.push(aggregate);
    const bindings: Record<string, unknown> = { id: 'bound' };
    bindings['self'] = bindings;
    logger.child(bindings).error({ selfCaused, aggregate }, 'logged');
    const [record] = records();
    expect(record).toMatchObject({
      self: '[Circular]',
      selfCaused: { code: 'INTERNAL', cause: '[Circular]' },
      aggregate: { name: 'AggregateError', errors: ['[Circular]'] },
    });
  });
});

describe('createLogger options', () => {
  const marker = 'Zq81LmXv03Pa';

  it('createLogger refuses null options, an unknown level, a destination without write or a clock without now with a ValidationError naming the option instead of a raw TypeError or a pino error echoing the level', () => {
    for (const [options, path] of [
      [null, 'options'],
      [{ level: marker }, 'options.level'],
      [{ name: 42 }, 'options.name'],
      [{ base: marker }, 'options.base'],
      [{ destination: {} }, 'options.destination'],
      [{ clock: { now: marker } }, 'options.clock'],
      [{ redactKeys: [Symbol(marker)] }, 'options.redactKeys'],
    ] as const) {
      let error: unknown;
      try {
        createLogger(options as never);
      } catch (caught: unknown) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues.map((issue) => issue.path)).toEqual([path]);
      expect(JSON.stringify((error as ValidationError).toProblem())).not.toContain(marker);
    }
  });

  it('createRedactor refuses null options and non-string redact keys or non-schema schemas with a ValidationError instead of a raw TypeError, and reads a one-shot iterable once', () => {
    for (const options of [
      null,
      { redactKeys: 'insurance' },
      { redactKeys: [1] },
      { schemas: [{}] },
    ]) {
      expect(() => createRedactor(options as never)).toThrow(ValidationError);
    }
    function* keys(): Generator<string> {
      yield 'insurance_no';
    }
    const { logger, records } = capture({ redactKeys: keys() });
    logger.info({ insuranceNo: '42' });
    expect(records()[0]).toMatchObject({ insuranceNo: '[REDACTED]' });
  });
});
