import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ValidationError } from './errors.js';
import { parseArguments, parseOrThrow, safeIssues } from './validation.js';

const Sample = z.strictObject({
  name: z.string().min(2).max(5),
  age: z.int().min(0).max(130),
  score: z.number().gt(0).lt(1).multipleOf(0.25).optional(),
  email: z.email().optional(),
  when: z.iso.datetime({ offset: true }).optional(),
  born: z
    .date()
    .min(new Date(Date.UTC(1900, 0, 1)))
    .max(new Date(Date.UTC(2100, 0, 1)))
    .optional(),
  code: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .optional(),
  tags: z.array(z.string()).min(1).max(2).optional(),
  color: z.enum(['red', 'green']).optional(),
  shape: z.union([z.literal('circle'), z.object({ sides: z.int() })]).optional(),
  scores: z.record(z.string().regex(/^[a-z]+$/), z.int()).optional(),
  even: z
    .int()
    .refine((value) => value % 2 === 0)
    .optional(),
  odd: z
    .int()
    .refine((value) => value % 2 === 1, { message: 'must be odd' })
    .optional(),
});

function validationErrorOf(run: () => unknown): ValidationError {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

const MARKER = 'PHI\u00a7';
const hostileText = fc.string({ minLength: 1, maxLength: 12 }).map((text) => `${MARKER}${text}`);
const hostileValue = fc.oneof(
  hostileText,
  fc.array(hostileText, { maxLength: 3 }),
  fc.dictionary(hostileText, hostileText, { maxKeys: 3 }),
  fc.integer(),
  fc.constant(null),
);

describe('parseOrThrow', () => {
  it('returns the parsed value when the input is valid', () => {
    expect(parseOrThrow(Sample, { name: 'Ann', age: 30 }, 'sample')).toEqual({
      name: 'Ann',
      age: 30,
    });
  });

  it('writes its own message for every issue code when fields fail', () => {
    const error = validationErrorOf(() =>
      parseOrThrow(
        Sample,
        {
          name: 'A',
          age: 131,
          score: 0.3,
          email: 'nope',
          when: 'yesterday',
          born: new Date(Date.UTC(1800, 0, 1)),
          code: 'abc',
          tags: [],
          color: 'blue',
          shape: 'square',
          scores: { Bad: 1 },
          even: 3,
          odd: 2,
          extra: true,
        },
        'sample',
      ),
    );
    expect(error.message).toBe(
      'The sample is invalid. Fix the fields listed in issues and send it again.',
    );
    expect(error.issues).toEqual(
      expect.arrayContaining([
        { path: 'name', message: 'must be at least 2 characters long' },
        { path: 'age', message: 'must be at most 130' },
        { path: 'score', message: 'must be a multiple of 0.25' },
        { path: 'email', message: 'must be an email address' },
        {
          path: 'when',
          message: 'must be an ISO 8601 date-time with an offset, such as 2026-03-01T09:30:00Z',
        },
        { path: 'born', message: 'must not be before 1900-01-01T00:00:00.000Z' },
        { path: 'code', message: 'must be in the required format' },
        { path: 'tags', message: 'must have at least 1 items' },
        { path: 'color', message: 'must be one of: red, green' },
        { path: 'shape', message: 'does not match any of the allowed shapes' },
        { path: 'scores.*', message: 'has a key in an invalid format' },
        { path: 'even', message: 'is invalid' },
        { path: 'odd', message: 'must be odd' },
        {
          path: '',
          message: 'has 1 unrecognized field(s); remove fields the schema does not define',
        },
      ]),
    );
  });

  it('describes exclusive bounds and upper limits when they fail', () => {
    const error = validationErrorOf(() =>
      parseOrThrow(
        Sample,
        {
          name: 'Abcdefg',
          age: -1,
          score: 1,
          tags: ['a', 'b', 'c'],
          born: new Date(Date.UTC(2200, 0, 1)),
        },
        'sample',
      ),
    );
    expect(error.issues).toEqual(
      expect.arrayContaining([
        { path: 'name', message: 'must be at most 5 characters long' },
        { path: 'age', message: 'must be at least 0' },
        { path: 'score', message: 'must be less than 1' },
        { path: 'tags', message: 'must have at most 2 items' },
        { path: 'born', message: 'must not be after 2100-01-01T00:00:00.000Z' },
      ]),
    );
  });

  it('says a field is required when it is missing and names the expected type when it is wrong', () => {
    const error = validationErrorOf(() => parseOrThrow(Sample, { age: 'old' }, 'sample'));
    expect(error.issues).toEqual([
      { path: 'name', message: 'is required' },
      { path: 'age', message: 'must be of type number' },
    ]);
  });

  it('lists only some allowed values when an enum is long', () => {
    const Letter = z.enum(
      Array.from({ length: 20 }, (_, i) => String.fromCharCode(97 + i)) as [string, ...string[]],
    );
    const error = validationErrorOf(() => parseOrThrow(Letter, 'z', 'letter'));
    expect(error.issues[0]?.message).toMatch(/^must be one of the allowed values, such as a, b/);
  });

  it('never echoes hostile input in toJSON or toProblem when parsing fails', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.oneof(fc.constantFrom(...Object.keys(Sample.shape)), hostileText),
          hostileValue,
        ),
        (input) => {
          const result = Sample.safeParse(input);
          fc.pre(!result.success);
          const error = validationErrorOf(() => parseOrThrow(Sample, input, 'sample'));
          const serialized = JSON.stringify([
            error.toJSON(),
            error.toProblem('urn:x'),
            error.message,
          ]);
          expect(serialized).not.toContain(MARKER);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('safeIssues', () => {
  it('replaces caller-chosen record keys and unknown segments with a star when rebuilding paths', () => {
    const Schema = z.object({ byName: z.record(z.string(), z.object({ count: z.int() })) });
    const result = Schema.safeParse({ byName: { 'Jane Doe': { count: 'x' } } });
    expect(result.success).toBe(false);
    if (!result.success) {
      expect(safeIssues(Schema, result.error.issues)).toEqual([
        { path: 'byName.*.count', message: 'must be of type number' },
      ]);
    }
    expect(
      safeIssues(z.string(), [
        { code: 'custom', path: ['a', 0, 'b'], message: '', input: undefined },
      ]),
    ).toEqual([{ path: '*.0.*', message: 'is invalid' }]);
  });
});

describe('parseArguments', () => {
  const Arguments = z.object({
    id: z.uuid(),
    input: z.strictObject({
      name: z.string().max(5),
      tags: z.array(z.string()).max(2),
      codes: z.array(z.string()).optional(),
    }),
  });

  it('returns the parsed arguments when they match', () => {
    const id = '0195f0a4-1111-7000-8000-000000000001';
    expect(
      parseArguments(Arguments, { id, input: { name: 'Ann', tags: [] } }, 'things.update'),
    ).toEqual({
      id,
      input: { name: 'Ann', tags: [] },
    });
  });

  it('names the operation and argument paths, never the values, when a null, circular or wrong argument is passed', () => {
    const circular: Record<string, unknown> = { name: `${MARKER}x` };
    circular['self'] = circular;
    for (const input of [null, circular, `${MARKER}text`]) {
      const error = validationErrorOf(() =>
        parseArguments(Arguments, { id: `${MARKER}id`, input }, 'things.update'),
      );
      expect(error.message).toBe(
        'The arguments of things.update are invalid. Fix the arguments listed in issues.',
      );
      expect(error.issues[0]?.path).toBe('id');
      expect(error.issues.slice(1).every((issue) => issue.path.startsWith('input'))).toBe(true);
      expect(JSON.stringify(error.toProblem())).not.toContain(MARKER);
    }
  });

  it('lists at most 20 issues when an array argument fails once per element', () => {
    const codes = Array.from({ length: 10_000 }, () => 7);
    const error = validationErrorOf(() =>
      parseArguments(
        Arguments,
        { id: 'x', input: { name: 'Ann', tags: [], codes } },
        'things.update',
      ),
    );
    expect(error.issues).toHaveLength(20);
  });
});
