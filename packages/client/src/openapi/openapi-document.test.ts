import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { operations } from '../contract/operations.js';
import { buildOpenApiDocument } from './openapi-document.js';

type Json = Record<string, unknown>;

/** The value at a path of keys in a JSON document, or undefined. */
function at(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) {
    current = typeof current === 'object' && current !== null ? (current as Json)[key] : undefined;
  }
  return current;
}
const objectAt = (value: unknown, ...keys: string[]) => (at(value, ...keys) ?? {}) as Json;

const committed = readFileSync(join(import.meta.dirname, '../../openapi.json'), 'utf8');
const document = buildOpenApiDocument();
const allOperations = Object.values(objectAt(document, 'paths')).flatMap((path) =>
  Object.values(path as Json),
) as Json[];

describe('openapi.json', () => {
  it('is the document the contract generates (run pnpm --filter @carequeue/client openapi)', () => {
    expect(JSON.parse(committed)).toEqual(document);
  });

  it('is a valid OpenAPI 3.1 document for an independent validator', async () => {
    const validator = new Validator();
    const result = await validator.validate(JSON.parse(committed) as Json);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('has every contract operation with an operationId, a summary and an example', () => {
    expect(allOperations.map((op) => op['operationId']).sort()).toEqual(
      Object.keys(operations).sort(),
    );
    for (const op of allOperations) {
      const id = String(op['operationId']);
      expect(op['summary'], id).toMatch(/\w/);
      const success = Object.entries(objectAt(op, 'responses')).find(([status]) => status < '300');
      const media = [
        ...Object.values(objectAt(success?.[1], 'content')),
        ...Object.values(objectAt(op, 'requestBody', 'content')),
        ...(at(op, 'parameters') as unknown[]),
      ];
      const examples = media.map((entry) => at(entry, 'example')).filter((e) => e !== undefined);
      expect(examples.length, id).toBeGreaterThan(0);
    }
  });

  it('gives every parameter its schema, also where operations share one (PageQuery)', () => {
    for (const op of allOperations) {
      for (const parameter of at(op, 'parameters') as Json[]) {
        const where = `${String(op['operationId'])} ${String(parameter['name'])}`;
        expect(Object.keys(objectAt(parameter, 'schema')), where).not.toEqual([]);
      }
    }
    const limit = (at(document, 'paths', '/api/v1/tenants', 'get', 'parameters') as Json[]).find(
      (parameter) => parameter['name'] === 'limit',
    );
    expect(at(limit, 'schema', 'type')).toBe('integer');
  });

  it('marks branded ids with x-brand', () => {
    const schemas = objectAt(document, 'components', 'schemas');
    expect(at(schemas, 'PatientId', 'x-brand')).toBe('PatientId');
    expect(at(schemas, 'AppointmentId', 'x-brand')).toBe('AppointmentId');
    expect(JSON.stringify(schemas['createClinicResponse'])).toContain(
      '#/components/schemas/ClinicId',
    );
  });

  it('declares Retry-After on every 429 and 503, and the problem envelope on every error', () => {
    const responses = objectAt(document, 'components', 'responses');
    expect(at(responses, 'Problem429', 'headers')).toHaveProperty('Retry-After');
    expect(at(responses, 'Problem503', 'headers')).toHaveProperty('Retry-After');
    for (const op of allOperations) {
      expect(at(op, 'responses', '429', '$ref')).toBe('#/components/responses/Problem429');
      expect(at(op, 'responses', '503', '$ref')).toBe('#/components/responses/Problem503');
    }
  });

  it('serves the event stream as text/event-stream with Last-Event-ID', () => {
    const stream = objectAt(document, 'paths', '/api/v1/events', 'get');
    expect(Object.keys(objectAt(stream, 'responses', '200', 'content'))).toEqual([
      'text/event-stream',
    ]);
    const names = (stream['parameters'] as Json[]).map((parameter) => parameter['name']);
    expect(names).toContain('Last-Event-ID');
    expect(Object.keys(objectAt(stream, 'x-stream-events'))).toEqual([
      'queue.event',
      'queue.summary',
      'heartbeat',
    ]);
  });

  it('carries the PHI tags of body fields as x-phi, and none in any parameter', () => {
    const search = JSON.stringify(at(document, 'components', 'schemas', 'searchPatientsBody'));
    expect(search).toContain('"x-phi":"direct"');
    for (const op of allOperations) {
      expect(JSON.stringify(op['parameters']), String(op['operationId'])).not.toContain('x-phi');
    }
  });
});
