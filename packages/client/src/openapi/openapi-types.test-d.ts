import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { AuditJsonValue } from '@carequeue/core';
import type { components, operations as DocumentOperations, paths } from '../../openapi.js';
import type { OperationId, operations } from '../contract/operations.js';

/*
 * openapi.d.ts is what openapi-typescript makes of openapi.json; the contract's types are what
 * zod infers from the same schemas. Both sides are compared modulo brands and readonly: the
 * document carries a branded id as a plain string with `x-brand`, which openapi-typescript cannot
 * turn into zod's brand, so brands are stripped from the contract's side, and `readOnly` is
 * documentation, not a different shape. A comparison passes when each side is assignable to the
 * other twice: as they are (same required properties, same value types) and with every property
 * made required (so a property only one side has, even an optional one, fails too).
 *
 * The recursive audit JSON value is the one exception. openapi-typescript prints its component
 * as a property that refers to itself, which TypeScript reads as `any` (TS2502, hidden by
 * skipLibCheck), and walking zod's recursive type level by level is "excessively deep". So on
 * both sides it stands as a marker: the contract's `AuditJsonValue` and the document's `any`
 * must sit at the same places, and a test below notes the `any` so that it fails, and the
 * comparison can be made, once openapi-typescript prints the type.
 */

type Contract = typeof operations;
type DocumentJsonValue = components['schemas']['AuditJsonValue'];
type JsonValueMarker = '<audit JSON value>';

type Identical<A, B> =
  (<G>() => G extends A ? 1 : 2) extends <G>() => G extends B ? 1 : 2 ? true : false;

type IsAny<T> = 0 extends 1 & T ? true : false;

/** A type with zod's brands and readonly modifiers removed, at any depth. */
type Normalized<T> =
  Identical<T, AuditJsonValue> extends true
    ? JsonValueMarker
    : IsAny<T> extends true
      ? JsonValueMarker
      : NormalizedMember<T>;
type NormalizedMember<T> = T extends z.core.$brand
  ? T extends string
    ? string
    : T extends number
      ? number
      : T
  : T extends object
    ? { -readonly [K in keyof T]: Normalized<T[K]> }
    : T;

/** A type with every property required, at any depth, to catch a property one side lacks. */
type AllRequired<T> = T extends object ? { [K in keyof T]-?: AllRequired<T[K]> } : T;

type MutuallyAssignable<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

type SameShape<A, B> =
  MutuallyAssignable<Normalized<A>, Normalized<B>> extends true
    ? MutuallyAssignable<AllRequired<Normalized<A>>, AllRequired<Normalized<B>>>
    : false;

/** What zod infers for one schema of a contract operation; `never` when it has none. */
type ContractInput<O, K extends string> = O extends { readonly [P in K]: infer S extends z.ZodType }
  ? z.input<S>
  : never;
type ContractOutput<O> = O extends { readonly response: infer S extends z.ZodType }
  ? z.output<S>
  : never;

/** The document's operation at the contract operation's path and method. */
type AtPathAndMethod<O extends Contract[OperationId]> = O['path'] extends keyof paths
  ? Lowercase<O['method']> extends keyof paths[O['path']]
    ? paths[O['path']][Lowercase<O['method']>]
    : 'no such method at this path in openapi.json'
  : 'no such path in openapi.json';

type JsonContent<T> = T extends { content: { 'application/json': infer C } } ? C : never;
type DocumentParameters<G, In extends 'path' | 'query'> = G extends {
  parameters: { [P in In]?: infer S };
}
  ? NonNullable<S>
  : never;
type DocumentBody<G> = G extends { requestBody?: infer B } ? JsonContent<NonNullable<B>> : never;
type DocumentSuccess<G, Status extends number> = G extends { responses: infer R }
  ? Status extends keyof R
    ? JsonContent<R[Status]>
    : 'no such success status in openapi.json'
  : never;

/** The parts of one operation where the document and the contract disagree, as `id.part`. */
type Disagreements<K extends OperationId> =
  | (MutuallyAssignable<AtPathAndMethod<Contract[K]>, DocumentOperations[K]> extends true
      ? never
      : `${K}.pathAndMethod`)
  | (SameShape<
      DocumentParameters<DocumentOperations[K], 'path'>,
      ContractInput<Contract[K], 'params'>
    > extends true
      ? never
      : `${K}.params`)
  | (SameShape<
      DocumentParameters<DocumentOperations[K], 'query'>,
      ContractInput<Contract[K], 'query'>
    > extends true
      ? never
      : `${K}.query`)
  | (SameShape<DocumentBody<DocumentOperations[K]>, ContractInput<Contract[K], 'body'>> extends true
      ? never
      : `${K}.body`)
  | (SameShape<
      DocumentSuccess<DocumentOperations[K], Contract[K]['status']>,
      ContractOutput<Contract[K]>
    > extends true
      ? never
      : `${K}.response`);

/**
 * The disagreements of every contract operation, by operationId: a new operation is covered as
 * soon as it is added, and a failure names the operation and the part.
 */
type DisagreementsByOperation = { [K in OperationId]: Disagreements<K> };

/** Compiles only when `T` is `never`. */
function expectNoDisagreement<T extends never>(): T[] {
  return [];
}

describe('openapi.d.ts (openapi-typescript on openapi.json)', () => {
  it('has every contract operation under its operationId', () => {
    expectTypeOf<Exclude<OperationId, keyof DocumentOperations>>().toEqualTypeOf<never>();
    expectTypeOf<Exclude<keyof DocumentOperations, OperationId>>().toEqualTypeOf<never>();
  });

  it("agrees with the contract's path, query, body and success types of every operation", () => {
    // Written as a constraint rather than with expectTypeOf so that a failure names each
    // disagreement ("Type '"createTenant.body"' does not satisfy the constraint 'never'").
    expectNoDisagreement<DisagreementsByOperation[OperationId]>();
    expectTypeOf<DisagreementsByOperation[OperationId]>().toBeNever();
  });

  it('reads the recursive audit JSON value as any (an openapi-typescript limit)', () => {
    expectTypeOf<DocumentJsonValue>().toBeAny();
    expectTypeOf<
      SameShape<{ v: AuditJsonValue | null }, { v: DocumentJsonValue }>
    >().toEqualTypeOf<true>();
    expectTypeOf<SameShape<{ v: string }, { v: DocumentJsonValue }>>().toEqualTypeOf<false>();
  });

  it('compares modulo brands but still tells types apart', () => {
    type Branded = {
      id: string & z.core.$brand<'PatientId'>;
      tags: readonly (string & z.core.$brand<'Tag'>)[];
    };
    expectTypeOf<SameShape<Branded, { id: string; tags: string[] }>>().toEqualTypeOf<true>();
    expectTypeOf<SameShape<{ a: string }, { a: number }>>().toEqualTypeOf<false>();
    expectTypeOf<SameShape<{ a: string }, { a?: string }>>().toEqualTypeOf<false>();
    expectTypeOf<SameShape<{ a: string }, { a: string; b?: string }>>().toEqualTypeOf<false>();
    expectTypeOf<SameShape<{ a: { b?: 1 } }, { a: object }>>().toEqualTypeOf<false>();
    expectTypeOf<SameShape<never, { a: string }>>().toEqualTypeOf<false>();
    expectTypeOf<SameShape<never, never>>().toEqualTypeOf<true>();
  });
});
