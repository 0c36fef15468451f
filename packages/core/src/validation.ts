/**
 * Parsing with zod that fails with a {@link ValidationError} whose issue messages are written
 * by CareQueue from issue codes and schema constants, so they never echo the input (which may be
 * patient data). Paths are rebuilt from the schema too: a record key sent by the caller shows as
 * `*`, never as the key itself.
 *
 * @packageDocumentation
 */
import { z } from 'zod';
import { ValidationError, type ErrorIssue } from './errors.js';
import { childrenOf, type AnySchema } from './schema-walk.js';

const MAX_LISTED_VALUES = 12;
/** Issues reported by {@link parseArguments}: a hostile array can fail once per element. */
const MAX_REPORTED_ARGUMENT_ISSUES = 20;

const FORMAT_LABELS: Readonly<Record<string, string>> = {
  email: 'an email address',
  uuid: 'a UUID',
  guid: 'a UUID',
  url: 'a URL',
  datetime: 'an ISO 8601 date-time with an offset, such as 2026-03-01T09:30:00Z',
  date: 'an ISO 8601 date (YYYY-MM-DD)',
  time: 'a time of day (HH:MM)',
  duration: 'an ISO 8601 duration',
  e164: 'an E.164 phone number, such as +14155550100',
  ipv4: 'an IPv4 address',
  ipv6: 'an IPv6 address',
};

function describeBound(
  origin: string,
  bound: number | bigint,
  inclusive: boolean | undefined,
  side: 'min' | 'max',
): string {
  const atLeast = side === 'min' ? 'at least' : 'at most';
  switch (origin) {
    case 'string':
      return `must be ${atLeast} ${bound} characters long`;
    case 'array':
    case 'set':
      return `must have ${atLeast} ${bound} items`;
    case 'date': {
      const when = new Date(Number(bound)).toISOString();
      if (side === 'min')
        return inclusive === false ? `must be after ${when}` : `must not be before ${when}`;
      return inclusive === false ? `must be before ${when}` : `must not be after ${when}`;
    }
    default:
      if (inclusive === false)
        return `must be ${side === 'min' ? 'greater' : 'less'} than ${bound}`;
      return `must be ${atLeast} ${bound}`;
  }
}

function messageFor(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      // Without `reportInput` zod drops `input`, and a missing field cannot be told apart.
      return 'input' in issue && issue.input === undefined
        ? 'is required'
        : `must be of type ${issue.expected}`;
    case 'too_small':
      return describeBound(issue.origin, issue.minimum, issue.inclusive, 'min');
    case 'too_big':
      return describeBound(issue.origin, issue.maximum, issue.inclusive, 'max');
    case 'invalid_format':
      return `must be ${FORMAT_LABELS[issue.format] ?? 'in the required format'}`;
    case 'not_multiple_of':
      return `must be a multiple of ${issue.divisor}`;
    case 'unrecognized_keys':
      return `has ${issue.keys.length} unrecognized field(s); remove fields the schema does not define`;
    case 'invalid_union':
      return 'does not match any of the allowed shapes';
    case 'invalid_key':
      return 'has a key in an invalid format';
    case 'invalid_element':
      return 'has an invalid entry';
    case 'invalid_value': {
      const listed = issue.values.slice(0, MAX_LISTED_VALUES).map(String).join(', ');
      return issue.values.length > MAX_LISTED_VALUES
        ? `must be one of the allowed values, such as ${listed}`
        : `must be one of: ${listed}`;
    }
    case 'custom':
      // Refinement messages are written by schema authors as constants; zod's fallback says
      // nothing useful, so it is replaced.
      return issue.message === '' || issue.message === 'Invalid input'
        ? 'is invalid'
        : issue.message;
  }
}

/**
 * The path of an issue, rebuilt by walking the schema: declared property names and array indexes
 * are kept, and anything the caller chose (record and map keys) becomes `*`.
 */
function safePath(schema: AnySchema, path: readonly PropertyKey[]): string {
  const segments: string[] = [];
  let current: AnySchema | undefined = schema;
  for (const segment of path) {
    const children: ReturnType<typeof childrenOf> =
      current === undefined ? [] : childrenOf(current);
    if (typeof segment === 'number') {
      segments.push(String(segment));
      current = children.find((child) => child.kind === 'element')?.schema;
      continue;
    }
    const property =
      typeof segment === 'string'
        ? children.find((child) => child.kind === 'property' && child.key === segment)
        : undefined;
    if (property !== undefined) {
      segments.push(segment as string);
      current = property.schema;
    } else {
      segments.push('*');
      current = children.find((child) => child.kind === 'value')?.schema;
    }
  }
  return segments.join('.');
}

/**
 * Converts zod issues to safe {@link ErrorIssue}s: messages built from issue codes and schema
 * constants, paths rebuilt from the schema. Never copies an input value.
 *
 * @example
 * ```ts
 * const result = Patient.safeParse(body);
 * if (!result.success) console.log(safeIssues(Patient, result.error.issues));
 * ```
 */
export function safeIssues(
  schema: z.core.$ZodType,
  issues: readonly z.core.$ZodIssue[],
): ErrorIssue[] {
  return issues.map((issue) => ({
    path: safePath(schema, issue.path),
    message: messageFor(issue),
  }));
}

/**
 * Parses `input` with `schema`, or throws a {@link ValidationError} that names the failing
 * fields without echoing their values.
 *
 * @param what - what the input is, for the error message, such as `'patient'` or `'patient id'`.
 * @throws {@link ValidationError} when the input does not match the schema.
 * @example
 * ```ts
 * const patientId = parseOrThrow(PatientId, request.params.id, 'patient id');
 * ```
 */
export function parseOrThrow<S extends z.core.$ZodType>(
  schema: S,
  input: unknown,
  what: string,
): z.output<S> {
  const result = z.safeParse(schema, input, { reportInput: true });
  if (result.success) return result.data;
  throw new ValidationError(
    `The ${what} is invalid. Fix the fields listed in issues and send it again.`,
    safeIssues(schema, result.error.issues),
  );
}

/**
 * Parses the arguments of a public function or method, given as one object keyed by argument
 * name, or throws a {@link ValidationError} whose issue paths start with the argument name
 * (`input.givenName`, `page.limit`); at most the first 20 issues are listed. Call it before any
 * port or store is touched, so a refused call changes nothing. Like {@link parseOrThrow}, it
 * never echoes a value.
 *
 * @param operation - the call, for the error message, such as `'patients.create'`.
 * @throws {@link ValidationError} when an argument does not match its schema.
 * @example
 * ```ts
 * const CreateArguments = z.object({ actor: ActorSchema, input: NewPatientInput });
 * parseArguments(CreateArguments, { actor, input }, 'patients.create');
 * ```
 */
export function parseArguments<S extends z.core.$ZodType>(
  schema: S,
  args: Readonly<Record<string, unknown>>,
  operation: string,
): z.output<S> {
  const result = z.safeParse(schema, args, { reportInput: true });
  if (result.success) return result.data;
  throw new ValidationError(
    `The arguments of ${operation} are invalid. Fix the arguments listed in issues.`,
    safeIssues(schema, result.error.issues.slice(0, MAX_REPORTED_ARGUMENT_ISSUES)),
  );
}
