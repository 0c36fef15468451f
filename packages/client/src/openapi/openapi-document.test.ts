import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { operations } from '../contract/operations.js';
import { buildOpenApiDocument } from './openapi-document.js';

type Json = Record<string, any>;
const committed = readFileSync(join(import.meta.dirname, '../../openapi.json'), 'utf8');
const document = buildOpenApiDocument() as Json;
const operationsOf = (doc: Json) =>
  Object.values(doc['paths'] as Json).flatMap((path) => Object.values(path as Json)) as Json[];

describe('openapi.json', () => {
  it('is the document the contract generates (run pnpm --filter @carequeue/client openapi)', () => {
    expect(committed).toBe(`${JSON.stringify(document, null, 2)}\n`);
  });

  it('is a valid OpenAPI 3.1 document for an independent validator', async () => {
    const validator = new Validator();
    const result = await validator.validate(JSON.parse(committed));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('has every contract operation with an operationId, a summary and an example', () => {
    const all = operationsOf(document);
    expect(all.map((op) => op['operationId']).sort()).toEqual(Object.keys(operations).sort());
    for (const op of all) {
      expect(op['summary'], op['operationId']).toMatch(/\w/);
      const success = Object.entries(op['responses'] as Json).find(
        ([status]) => status < '300',
      )?.[1];
      const examples = [
        ...Object.values((success?.content ?? {}) as Json).map((media) => media.example),
        ...Object.values((op['requestBody']?.content ?? {}) as Json).map((media) => media.example),
        ...(op['parameters'] as Json[]).map((parameter) => parameter['example']),
      ].filter((example) => example !== undefined);
      expect(examples.length, op['operationId']).toBeGreaterThan(0);
    }
  });

  it('marks branded ids with x-brand', () => {
    const schemas = document['components'].schemas as Json;
    expect(schemas['PatientId']['x-brand']).toBe('PatientId');
    expect(schemas['AppointmentId']['x-brand']).toBe('AppointmentId');
    expect(JSON.stringify(schemas['createClinicResponse'])).toContain('#/components/schemas/ClinicId');
  });

  it('declares Retry-After on every 429 and 503, and the problem envelope on every error', () => {
    const responses = document['components'].responses as Json;
    expect(responses['Problem429'].headers).toHaveProperty('Retry-After');
    expect(responses['Problem503'].headers).toHaveProperty('Retry-After');
    for (const op of operationsOf(document)) {
      expect(op['responses']['429'].$ref).toBe('#/components/responses/Problem429');
      expect(op['responses']['503'].$ref).toBe('#/components/responses/Problem503');
    }
  });

  it('serves the event stream as text/event-stream with Last-Event-ID', () => {
    const stream = document['paths']['/api/v1/events'].get as Json;
    expect(Object.keys(stream['responses']['200'].content)).toEqual(['text/event-stream']);
    expect(stream['parameters'].map((p: Json) => p['name'])).toContain('Last-Event-ID');
    expect(Object.keys(stream['x-stream-events'])).toEqual([
      'queue.event',
      'queue.summary',
      'heartbeat',
    ]);
  });

  it('carries the PHI tags of body fields as x-phi, and none in any parameter', () => {
    const search = JSON.stringify(document['components'].schemas['searchPatientsBody']);
    expect(search).toContain('"x-phi":"direct"');
    for (const op of operationsOf(document)) {
      expect(JSON.stringify(op['parameters']), op['operationId']).not.toContain('x-phi');
    }
  });
});
