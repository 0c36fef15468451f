import { phi, taggedPaths } from '@carequeue/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { API_VERSION } from './api-version.js';
import { defineOperation, type OperationDefinition } from './operation.js';
import { operations } from './operations.js';
import { Problem } from './problem.js';
import { streamEvents } from './stream-events.js';

const all = Object.entries(operations) as [string, OperationDefinition][];

/** The tagged direct identifiers an operation would put in its URL (path or query). */
function identifiersInUrl(operation: OperationDefinition): string[] {
  return [
    ...(operation.params ? taggedPaths(operation.params).map((tag) => `params.${tag.path}`) : []),
    ...(operation.query ? taggedPaths(operation.query).map((tag) => `query.${tag.path}`) : []),
  ];
}

describe('the /api/v1 contract', () => {
  it('puts every operation under /api/<API_VERSION>/ with a unique method and path', () => {
    const routes = all.map(([, op]) => `${op.method} ${op.path}`);
    expect(new Set(routes).size).toBe(routes.length);
    for (const [, op] of all) expect(op.path.startsWith(`/api/${API_VERSION}/`)).toBe(true);
  });

  it('names every path parameter in the params schema, and nothing else', () => {
    for (const [id, op] of all) {
      const named = [...op.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
      expect(named, id).toEqual(Object.keys(op.params?.shape ?? {}));
    }
  });

  it('has examples that satisfy the schemas of every operation', () => {
    for (const [id, op] of all) {
      const { example } = op;
      if (op.params) expect(op.params.safeParse(example.params).success, `${id} params`).toBe(true);
      if (op.query)
        expect(op.query.safeParse(example.query ?? {}).success, `${id} query`).toBe(true);
      if (op.body) expect(op.body.safeParse(example.body).success, `${id} body`).toBe(true);
      if (op.response) {
        const parsed = op.response.safeParse(example.response);
        expect(parsed.error?.issues ?? [], `${id} response`).toEqual([]);
      }
    }
  });

  it('paginates every list: a page answer, and a cursor in the query or the body', () => {
    for (const [id, op] of all) {
      const answersPage =
        op.response instanceof z.ZodObject &&
        'items' in op.response.shape &&
        'nextCursor' in op.response.shape;
      expect(answersPage, id).toBe(op.pagination !== undefined);
      if (op.pagination === 'query') expect(op.query?.shape, id).toHaveProperty('cursor');
      if (op.pagination === 'body')
        expect((op.body as z.ZodObject).shape, id).toHaveProperty('cursor');
    }
  });

  it('never puts a tagged direct identifier in a path or a query string', () => {
    const leaks = all.flatMap(([id, op]) => identifiersInUrl(op).map((path) => `${id}: ${path}`));
    expect(leaks).toEqual([]);
  });

  it('would catch a search that put a name in the query string', () => {
    const leaky = defineOperation({
      method: 'GET',
      path: '/api/v1/patients',
      tag: 'patients',
      summary: 'Search patients by name',
      query: z.object({
        familyName: phi('direct', z.string()).optional(),
        limit: z.int().optional(),
      }),
      status: 200,
      errors: [],
      example: {},
    });
    expect(identifiersInUrl(leaky)).toEqual(['query.familyName']);
  });

  it('keeps the search criteria, which are identifiers, in the body of a POST', () => {
    const search = operations.searchPatients;
    expect(search.method).toBe('POST');
    expect(taggedPaths(search.body).map((tag) => tag.path)).toEqual(
      expect.arrayContaining(['givenName', 'familyName', 'dateOfBirth', 'phone']),
    );
  });

  it('exchanges the queue link token in a POST body, never in a URL', () => {
    const exchange = operations.exchangeQueueLink;
    expect(exchange.method).toBe('POST');
    expect(exchange.body.shape).toHaveProperty('token');
    for (const [, op] of all) {
      expect(Object.keys(op.query?.shape ?? {})).not.toContain('token');
      expect(Object.keys(op.params?.shape ?? {})).not.toContain('token');
    }
  });

  it('describes the problem envelope with a stable code and the request id', () => {
    const problem = {
      type: 'about:blank',
      title: 'Not found',
      status: 404,
      code: 'NOT_FOUND',
      requestId: 'r1',
    };
    expect(Problem.parse(problem).code).toBe('NOT_FOUND');
    expect(Problem.safeParse({ ...problem, code: 'not found' }).success).toBe(false);
    expect(Problem.safeParse({ ...problem, requestId: undefined }).success).toBe(false);
  });

  it('keeps the events of the stream free of tagged fields', () => {
    for (const [name, schema] of Object.entries(streamEvents)) {
      expect(taggedPaths(schema), name).toEqual([]);
    }
  });
});
