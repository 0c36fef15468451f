import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { repositoryRoot } from './workspace.js';

/** Engines an adapter is named after: `memoryAuditStore`, `redisCacheStore`, `twilioSmsNotifier`. */
export const ADAPTER_ENGINES = [
  'memory',
  'postgres',
  'supabase',
  'redis',
  'twilio',
  'smtp',
  'http',
  'file',
  'directory',
] as const;

/**
 * Suffixes of the return types that mark a function as a factory of a service, policy, port or
 * adapter, so its name must be `createX` or `<engine>X`.
 */
const PRODUCT_SUFFIXES = [
  'Policy',
  'Store',
  'Repository',
  'Bus',
  'UnitOfWork',
  'Service',
  'Breaker',
  'Limiter',
  'Notifier',
  'Sink',
  'Spool',
  'Registry',
  'Idempotency',
  'Queue',
  'Estimator',
  'Tracker',
  'Scheduler',
  'Outbox',
  'Dispatcher',
  'Executor',
  'Transport',
  'Client',
  'Hub',
  'Verifier',
  'Writer',
  'Logger',
  'Redactor',
  'Encryptor',
] as const;

/** One exported function or class whose name breaks the naming table. */
export interface NameViolation {
  /** `packages/<pkg>/api/<report>.api.md:<name>`, stable across unrelated edits. */
  readonly id: string;
  readonly reason: string;
}

/** An exported function or class read from an API report. */
export interface ExportedValue {
  readonly kind: 'function' | 'class';
  readonly name: string;
  /** The declared return type of a function, as written in the report. */
  readonly returnType?: string;
}

const enginePrefix = new RegExp(`^(${ADAPTER_ENGINES.join('|')})[A-Z]`);
const createEnginePrefix = new RegExp(
  `^create(${ADAPTER_ENGINES.map((engine) => engine[0]!.toUpperCase() + engine.slice(1)).join('|')})[A-Z]`,
);
const productType = new RegExp(`(${PRODUCT_SUFFIXES.join('|')})(<.*>)?$`);

/**
 * Reads the exported functions and classes of one API report's TypeScript block.
 *
 * @example
 * ```ts
 * exportedValues('```ts\nexport function retry(): Policy;\n```'); // [{ kind: 'function', ... }]
 * ```
 */
export function exportedValues(report: string): ExportedValue[] {
  const code = /```ts\n([\s\S]*?)\n```/.exec(report)?.[1] ?? '';
  const source = ts.createSourceFile('report.d.ts', code, ts.ScriptTarget.Latest, false);
  const values: ExportedValue[] = [];
  for (const statement of source.statements) {
    const exported = ts
      .getModifiers(statement as ts.HasModifiers)
      ?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword);
    if (!exported) continue;
    if (ts.isFunctionDeclaration(statement) && statement.name) {
      values.push({
        kind: 'function',
        name: statement.name.text,
        returnType: statement.type?.getText(source) ?? '',
      });
    } else if (ts.isClassDeclaration(statement) && statement.name) {
      values.push({ kind: 'class', name: statement.name.text });
    }
  }
  return values;
}

/**
 * Says why an exported name breaks the naming table, or `undefined` when it follows it.
 *
 * @example
 * ```ts
 * namingViolation({ kind: 'class', name: 'CircuitBreaker' }); // 'a new-able exported class ...'
 * ```
 *
 * A class other than an error passes only beside its `createX` factory: the report then shows
 * the type that callers annotate with, and {@link typeOnlyClasses} lists it so a test can check
 * that the built module does not export it as a value.
 */
export function namingViolation(
  value: ExportedValue,
  siblings: readonly ExportedValue[] = [],
): string | undefined {
  if (value.kind === 'class') {
    if (value.name.endsWith('Error') || hasFactory(value, siblings)) return undefined;
    return 'a new-able exported class is allowed only for errors; export a createX factory';
  }
  if (createEnginePrefix.test(value.name)) {
    return 'an adapter is named <engine>X, without create';
  }
  const returnsProduct = productType.test(value.returnType ?? '');
  if (/^sql[A-Z]/.test(value.name) && /^[A-Z]/.test(value.returnType ?? '')) {
    return 'an adapter is named after its engine (postgresX), not sqlX';
  }
  const isFactoryName = value.name.startsWith('create') || enginePrefix.test(value.name);
  if (!isFactoryName && returnsProduct) {
    return `returns a ${value.returnType}, so it is a factory: name it createX or <engine>X`;
  }
  return undefined;
}

function hasFactory(value: ExportedValue, siblings: readonly ExportedValue[]): boolean {
  return siblings.some(
    (sibling) => sibling.kind === 'function' && sibling.name === `create${value.name}`,
  );
}

/** An API report read from disk, with the package folder and subpath report it belongs to. */
export interface ApiReport {
  /** The package folder under `packages/`, such as `resilience`. */
  readonly pkg: string;
  /** The report file under `api/`, such as `index.api.md`. */
  readonly file: string;
  readonly values: readonly ExportedValue[];
}

/**
 * Reads every API report of the packages under `packages/`.
 *
 * @example
 * ```ts
 * for (const report of apiReports()) console.log(report.pkg, report.file, report.values.length);
 * ```
 */
export function apiReports(): ApiReport[] {
  const reports: ApiReport[] = [];
  const packagesDir = join(repositoryRoot, 'packages');
  for (const pkg of readdirSync(packagesDir).sort()) {
    const apiDir = join(packagesDir, pkg, 'api');
    if (!existsSync(apiDir)) continue;
    for (const file of readdirSync(apiDir)
      .filter((name) => name.endsWith('.api.md'))
      .sort()) {
      reports.push({ pkg, file, values: exportedValues(readFileSync(join(apiDir, file), 'utf8')) });
    }
  }
  return reports;
}

/**
 * The non-error classes that a report exports beside their `createX` factory: these must be
 * exported as types only, so that construction goes through the factory.
 *
 * @example
 * ```ts
 * typeOnlyClasses(apiReports()); // [{ pkg: 'resilience', file: 'index.api.md', name: 'CircuitBreaker' }, ...]
 * ```
 */
export function typeOnlyClasses(
  reports: readonly ApiReport[],
): { pkg: string; file: string; name: string }[] {
  return reports.flatMap(({ pkg, file, values }) =>
    values
      .filter((value) => value.kind === 'class' && !value.name.endsWith('Error'))
      .filter((value) => hasFactory(value, values))
      .map((value) => ({ pkg, file, name: value.name })),
  );
}

/**
 * Every naming violation in the API reports of the packages under `packages/`.
 *
 * @example
 * ```ts
 * for (const violation of namingViolations(apiReports())) console.log(violation.id, violation.reason);
 * ```
 */
export function namingViolations(reports: readonly ApiReport[]): NameViolation[] {
  return reports.flatMap(({ pkg, file, values }) =>
    values.flatMap((value) => {
      const reason = namingViolation(value, values);
      return reason ? [{ id: `packages/${pkg}/api/${file}:${value.name}`, reason }] : [];
    }),
  );
}
