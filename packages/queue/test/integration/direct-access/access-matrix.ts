import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { uuidv7 } from '@carequeue/core';
import { DatabaseError, type SqlExecutor } from '@carequeue/core/sql';
import type { SeededTenant } from '../tenant-fixture.js';

/** Who tries: five roles of tenant A, the strongest staff of tenant B, and anon. */
export const ACCESS_ROLES = [
  'patient',
  'receptionist',
  'clinician',
  'admin',
  'owner',
  'other-tenant-staff',
  'anon',
] as const;
export type AccessRole = (typeof ACCESS_ROLES)[number];

/** The schemas whose every table and view the matrix covers. */
export const ACCESS_SCHEMAS = ['queue', 'resilience', 'audit'] as const;

/**
 * What a statement did: `denied` (SQLSTATE 42501: no privilege, or a policy or trigger refused
 * it), `none` (it ran and touched or saw no row), `rows` (a read saw rows of the caller's tenant
 * only, or of a table without tenants), `foreign` (a read saw another tenant's rows), `allowed`
 * (a write went through, or failed only on a constraint checked after the policies), or
 * `error <SQLSTATE>` for anything else.
 */
export type AccessOutcome = string;

/** One row of the expectation table. */
export interface AccessRow {
  readonly table: string;
  readonly role: AccessRole;
  readonly operation: string;
  readonly outcome: AccessOutcome;
}

interface Column {
  readonly name: string;
  readonly type: string;
  /** NOT NULL without a default. */
  readonly required: boolean;
  readonly defaulted: boolean;
}

interface Relation {
  readonly name: string;
  readonly view: boolean;
  readonly columns: readonly Column[];
  readonly primaryKey: readonly string[];
}

interface Probe {
  readonly operation: string;
  readonly statement: string;
  readonly params: readonly unknown[];
}

const TIME_TYPES = ['timestamp with time zone', 'timestamp without time zone', 'date'];

async function relationsOf(executor: SqlExecutor): Promise<Relation[]> {
  const { rows } = await executor.query<{
    name: string;
    view: boolean;
    columns: Column[];
    primary_key: string[] | null;
  }>(
    `SELECT n.nspname || '.' || c.relname AS name, c.relkind = 'v' AS view,
       (SELECT jsonb_agg(jsonb_build_object('name', a.attname,
           'type', format_type(a.atttypid, a.atttypmod),
           'required', a.attnotnull AND NOT a.atthasdef, 'defaulted', a.atthasdef)
           ORDER BY a.attnum)
        FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped)
         AS columns,
       (SELECT array_agg(a.attname::text ORDER BY k.ord)
        FROM pg_index i CROSS JOIN unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
        JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
        WHERE i.indrelid = c.oid AND i.indisprimary) AS primary_key
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = ANY ($1::text[]) AND c.relkind IN ('r', 'p', 'v') AND NOT c.relispartition
     ORDER BY 1`,
    [[...ACCESS_SCHEMAS]],
  );
  return rows.map((row) => ({
    name: row.name,
    view: row.view,
    columns: row.columns,
    primaryKey: row.primary_key ?? [],
  }));
}

/** Column groups a role may be allowed to change separately. */
function columnGroups(relation: Relation): Record<string, string[]> {
  const keys = new Set([...relation.primaryKey, 'tenant_id']);
  const groups: Record<string, string[]> = { keys: [], links: [], times: [], state: [] };
  for (const column of relation.columns) {
    if (keys.has(column.name)) groups['keys']!.push(column.name);
    else if (/_ids?$/.test(column.name)) groups['links']!.push(column.name);
    else if (TIME_TYPES.includes(column.type)) groups['times']!.push(column.name);
    else groups['state']!.push(column.name);
  }
  return Object.fromEntries(Object.entries(groups).filter(([, columns]) => columns.length > 0));
}

/** A sample row of `tenant`, preferring the one of its first patient, then of its first clinic. */
async function sampleRow(
  executor: SqlExecutor,
  relation: Relation,
  tenant: SeededTenant,
): Promise<Record<string, unknown> | undefined> {
  const has = (name: string) => relation.columns.some((column) => column.name === name);
  const order = [
    ...(has('patient_id') ? [`(t.patient_id::text = '${tenant.patientOne}') DESC NULLS LAST`] : []),
    ...(has('clinic_id') ? [`(t.clinic_id::text = '${tenant.clinicOne}') DESC NULLS LAST`] : []),
  ];
  const { rows } = await executor.query<{ row: Record<string, unknown> }>(
    `SELECT to_jsonb(t) AS row FROM ${relation.name} t
     ${has('tenant_id') ? `WHERE t.tenant_id = '${tenant.tenantId}'` : ''}
     ${order.length > 0 ? `ORDER BY ${order.join(', ')}` : ''} LIMIT 1`,
  );
  return rows[0]?.row;
}

/** `row` under a new primary key: its first key column other than the tenant changes. */
function copied(relation: Relation, row: Record<string, unknown>): Record<string, unknown> {
  const key = relation.primaryKey.find((name) => name !== 'tenant_id');
  const column = relation.columns.find((candidate) => candidate.name === key);
  if (column === undefined) return row;
  const value = row[column.name];
  const fresh =
    column.type === 'uuid'
      ? uuidv7()
      : column.type === 'integer' || column.type === 'bigint'
        ? Number(value) + 1_000_000
        : TIME_TYPES.includes(column.type)
          ? '2030-01-01T00:00:00Z'
          : `${String(value)}-copy`;
  return { ...row, [column.name]: fresh };
}

function insertProbe(relation: Relation, operation: string, row: Record<string, unknown>): Probe {
  // What a caller would send: the required columns and the others the sample sets, leaving
  // columns with a default to it.
  const list = relation.columns
    .filter((column) => column.required || (row[column.name] !== null && !column.defaulted))
    .map((column) => `"${column.name}"`)
    .join(', ');
  return {
    operation,
    statement: `INSERT INTO ${relation.name} (${list})
      SELECT ${list} FROM jsonb_populate_record(NULL::${relation.name}, $1)`,
    params: [JSON.stringify(row)],
  };
}

async function probesOf(
  executor: SqlExecutor,
  relation: Relation,
  own: SeededTenant,
  other: SeededTenant,
): Promise<Probe[]> {
  const tenantScoped = relation.columns.some((column) => column.name === 'tenant_id');
  const probes: Probe[] = [
    {
      operation: 'select',
      statement: tenantScoped
        ? `SELECT DISTINCT tenant_id::text AS tenant FROM ${relation.name}`
        : `SELECT NULL::text AS tenant FROM ${relation.name}`,
      params: [],
    },
  ];
  if (relation.view) return probes;
  const ownRow = await sampleRow(executor, relation, own);
  if (ownRow === undefined) throw new Error(`The access world has no row in ${relation.name}.`);
  probes.push(insertProbe(relation, 'insert', copied(relation, ownRow)));
  if (tenantScoped) {
    const foreignRow = await sampleRow(executor, relation, other);
    if (foreignRow === undefined) throw new Error(`No row of tenant B in ${relation.name}.`);
    probes.push(insertProbe(relation, 'insert into another tenant', copied(relation, foreignRow)));
  }
  for (const [group, columns] of Object.entries(columnGroups(relation))) {
    // No WHERE and no RETURNING: only the UPDATE policies and privileges stand in the way.
    probes.push({
      operation: `update ${group}`,
      statement: `UPDATE ${relation.name} SET ${columns.map((c) => `"${c}" = "${c}"`).join(', ')}`,
      params: [],
    });
  }
  if (tenantScoped) {
    probes.push({
      operation: 'update moving rows to another tenant',
      statement: `UPDATE ${relation.name} SET tenant_id = $1`,
      params: [other.tenantId],
    });
  }
  if (relation.name === 'queue.staff') probes.push(...ownerProbes());
  probes.push({ operation: 'delete', statement: `DELETE FROM ${relation.name}`, params: [] });
  return probes;
}

/**
 * Updates that change values of staff rows (the column-group updates above change none): what
 * makes an owner an owner and who signs in as a member are guarded (ADR 0018).
 */
function ownerProbes(): Probe[] {
  return [
    {
      operation: "update an owner's roles",
      statement: "UPDATE queue.staff SET roles = '{receptionist}' WHERE 'owner' = ANY (roles)",
      params: [],
    },
    {
      operation: "update an owner's account",
      statement: "UPDATE queue.staff SET user_id = $1 WHERE 'owner' = ANY (roles)",
      params: [uuidv7()],
    },
    {
      operation: "update a member's bound account",
      statement:
        "UPDATE queue.staff SET user_id = $1 WHERE user_id IS NOT NULL AND NOT ('owner' = ANY (roles))",
      params: [uuidv7()],
    },
  ];
}

function claimsOf(role: AccessRole, a: SeededTenant, b: SeededTenant): Record<string, unknown> {
  const of = (tenant: SeededTenant, metadata: Record<string, unknown>) => ({
    sub: uuidv7(),
    role: 'authenticated',
    app_metadata: { tenant_id: tenant.tenantId, ...metadata },
  });
  switch (role) {
    case 'patient':
      return of(a, { roles: ['patient'], patient_id: a.patientOne });
    case 'receptionist':
      return of(a, {
        roles: ['receptionist'],
        staff_id: a.receptionistStaff,
        clinic_ids: [a.clinicOne],
      });
    case 'clinician':
      return of(a, { roles: ['clinician'], staff_id: uuidv7(), clinic_ids: [a.clinicOne] });
    case 'admin':
      return of(a, { roles: ['admin'] });
    case 'owner':
      return of(a, { roles: ['owner'] });
    case 'other-tenant-staff':
      return of(b, { roles: ['admin'] });
    case 'anon':
      return {};
  }
}

/** Thrown to end a probe's transaction with a rollback, whatever the probe did. */
class Rollback extends Error {}

function sqlStateOf(error: unknown): string | undefined {
  if (error instanceof DatabaseError) return error.sqlState;
  const cause = (error as { cause?: { code?: unknown } }).cause;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}

/** Runs `probe` as `role` in a transaction that is always rolled back, and names the outcome. */
async function outcomeOf(
  executor: SqlExecutor,
  probe: Probe,
  role: AccessRole,
  a: SeededTenant,
  b: SeededTenant,
): Promise<AccessOutcome> {
  let outcome: AccessOutcome = 'unknown';
  const tenantOf = role === 'other-tenant-staff' ? b.tenantId : a.tenantId;
  try {
    await executor.transaction(async (tx) => {
      await tx.query(
        "SELECT set_config('request.jwt.claims', $1, true), set_config('role', $2, true)",
        [
          role === 'anon' ? '' : JSON.stringify(claimsOf(role, a, b)),
          role === 'anon' ? 'anon' : 'authenticated',
        ],
      );
      try {
        const result = await tx.query<{ tenant: string | null }>(probe.statement, probe.params);
        if (probe.operation === 'select') {
          outcome =
            result.rows.length === 0
              ? 'none'
              : result.rows.some((row) => row.tenant !== null && row.tenant !== tenantOf)
                ? 'foreign'
                : 'rows';
        } else {
          outcome = result.rowCount > 0 ? 'allowed' : 'none';
        }
      } catch (error) {
        const state = sqlStateOf(error);
        outcome =
          state === '42501' ? 'denied' : state?.startsWith('23') ? 'allowed' : `error ${state}`;
      }
      throw new Rollback('probe done');
    });
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  }
  return outcome;
}

/**
 * What every role does to every table and view of the covered schemas, in a fixed order. Each
 * operation is relative to the caller: "another tenant" is tenant B for the roles of tenant A
 * (and anon), and tenant A for the staff of tenant B.
 */
export async function observeAccess(
  executor: SqlExecutor,
  a: SeededTenant,
  b: SeededTenant,
): Promise<AccessRow[]> {
  const observed: AccessRow[] = [];
  for (const relation of await relationsOf(executor)) {
    const fromA = await probesOf(executor, relation, a, b);
    const fromB = await probesOf(executor, relation, b, a);
    for (const [index, probe] of fromA.entries()) {
      for (const role of ACCESS_ROLES) {
        const own = role === 'other-tenant-staff' ? fromB[index]! : probe;
        observed.push({
          table: relation.name,
          role,
          operation: probe.operation,
          outcome: await outcomeOf(executor, own, role, a, b),
        });
      }
    }
  }
  return observed;
}

const HEADER = 'table\trole\toperation\toutcome';

function expectationFile(schema: string): string {
  return fileURLToPath(new URL(`./expected/${schema}.tsv`, import.meta.url));
}

/** The committed expectations of every covered schema. */
export function readExpectedAccess(): AccessRow[] {
  return ACCESS_SCHEMAS.flatMap((schema) =>
    readFileSync(expectationFile(schema), 'utf8')
      .split('\n')
      .slice(1)
      .filter((line) => line.trim() !== '')
      .map((line) => {
        const [table, role, operation, outcome] = line.split('\t');
        return { table, role, operation, outcome } as AccessRow;
      }),
  );
}

/** Writes `rows` as the expectation files, one per schema (set CAREQUEUE_WRITE_ACCESS_MATRIX). */
export function writeExpectedAccess(rows: readonly AccessRow[]): void {
  for (const schema of ACCESS_SCHEMAS) {
    const lines = rows
      .filter((row) => row.table.startsWith(`${schema}.`))
      .map((row) => [row.table, row.role, row.operation, row.outcome].join('\t'));
    writeFileSync(expectationFile(schema), `${[HEADER, ...lines].join('\n')}\n`);
  }
}

/** The rows where `observed` and `expected` differ, one line each, for a readable failure. */
export function accessDifferences(
  observed: readonly AccessRow[],
  expected: readonly AccessRow[],
): string[] {
  const key = (row: AccessRow) => `${row.table} | ${row.role} | ${row.operation}`;
  const wanted = new Map(expected.map((row) => [key(row), row.outcome]));
  const seen = new Set<string>();
  const differences: string[] = [];
  for (const row of observed) {
    seen.add(key(row));
    const outcome = wanted.get(key(row));
    if (outcome === undefined)
      differences.push(`${key(row)}: not expected, observed ${row.outcome}`);
    else if (outcome !== row.outcome)
      differences.push(`${key(row)}: expected ${outcome}, observed ${row.outcome}`);
  }
  for (const row of expected) {
    if (!seen.has(key(row))) differences.push(`${key(row)}: expected ${row.outcome}, not observed`);
  }
  return differences;
}
