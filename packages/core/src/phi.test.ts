import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { phi, phiLevelOf, taggedFieldNames, taggedPaths } from './phi.js';

const Person = z.object({
  id: z.uuid(),
  name: phi('direct', z.string()),
  contact: z
    .object({
      phone: phi('direct', z.string()).optional(),
      email: phi('direct', z.email()).nullable(),
      preferred: z.enum(['sms', 'email']),
    })
    .optional(),
  ssn: phi('sensitive', z.string()).optional(),
  guardians: z.array(z.object({ name: phi('direct', z.string()), relation: z.string() })),
  address: phi('direct', z.object({ line1: z.string(), city: z.string() })).nullable(),
  extra: z.record(z.string(), phi('direct', z.string())),
  visits: z.tuple([z.object({ note: phi('direct', z.string()) })]),
  tags: z.set(z.string()),
});

describe('phiLevelOf', () => {
  it('reads the tag through optional, nullable and default wrappers', () => {
    expect(phiLevelOf(phi('direct', z.string()).optional().nullable().default(null))).toBe(
      'direct',
    );
    expect(phiLevelOf(z.string())).toBeUndefined();
  });

  it('prefers sensitive when an inner layer is sensitive and an outer one direct', () => {
    expect(phiLevelOf(phi('direct', phi('sensitive', z.string()).optional()))).toBe('sensitive');
  });

  it('keeps the tag when the tagged schema is refined afterwards', () => {
    expect(phiLevelOf(phi('direct', z.string()).min(2).describe('family name'))).toBe('direct');
  });

  it('keeps other metadata when tagging', () => {
    const schema = phi('direct', z.string().meta({ description: 'phone number' }));
    expect(z.globalRegistry.get(schema)).toMatchObject({
      description: 'phone number',
      'x-phi': 'direct',
    });
  });
});

describe('taggedPaths', () => {
  it('lists nested, array, record, tuple and wrapped fields when the schema has them', () => {
    expect(
      taggedPaths(Person)
        .map(({ path, level }) => `${path}:${level}`)
        .sort(),
    ).toEqual(
      [
        'name:direct',
        'contact.phone:direct',
        'contact.email:direct',
        'ssn:sensitive',
        'guardians[].name:direct',
        'address:direct',
        'extra.*:direct',
        'visits[].note:direct',
      ].sort(),
    );
  });

  it('terminates and reports fields when a schema is recursive', () => {
    interface Node {
      label: string;
      children: Node[];
    }
    const NodeSchema: z.ZodType<Node> = z.lazy(() =>
      z.object({ label: phi('direct', z.string()), children: z.array(NodeSchema) }),
    );
    expect(taggedPaths(NodeSchema).map((tag) => tag.path)).toContain('label');
  });

  it('lists fields of every option when the schema is a union or intersection', () => {
    const Union = z.union([
      z.object({ kind: z.literal('a'), phone: phi('direct', z.string()) }),
      z.object({ kind: z.literal('b'), email: phi('direct', z.string()) }),
    ]);
    const Both = z.intersection(Union, z.object({ dob: phi('direct', z.string()) }));
    expect(
      taggedPaths(Both)
        .map((tag) => tag.path)
        .sort(),
    ).toEqual(['dob', 'email', 'phone']);
  });

  it('returns the root path when the whole schema is tagged', () => {
    expect(taggedPaths(phi('sensitive', z.string()))).toEqual([
      { path: '', keys: [], level: 'sensitive' },
    ]);
  });
});

describe('taggedFieldNames', () => {
  it('collects the last property name of every tagged path when given schemas', () => {
    expect([...taggedFieldNames([Person])].sort()).toEqual(
      ['address', 'email', 'extra', 'name', 'note', 'phone', 'ssn'].sort(),
    );
  });
});
