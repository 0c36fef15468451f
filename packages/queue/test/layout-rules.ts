// The layout rules of packages/queue/ARCHITECTURE.md as code: which folder a source file belongs
// to, and which of its imports break the dependency rule. Kept apart from the allow-list in
// layout.test.ts so the rules themselves can be tested on small made-up trees.
import { posix } from 'node:path';
import ts from 'typescript';

/** The bounded contexts of `src/`, one folder each. */
export const contexts = [
  'clinics',
  'staff',
  'patients',
  'invitations',
  'booking',
  'availability',
  'walk-in',
  'estimation',
  'notifications',
  'realtime',
  'jobs',
] as const;

/**
 * The shared kernel every context may import: argument checking, factory options, the errors
 * map, pagination, the migration list, the not-found read and audited write services share, and
 * the shared adapter kits in `memory/`, `postgres/` and
 * `supabase/` at the root of `src/`.
 */
const kernelFolders = ['arguments', 'config', 'memory', 'postgres', 'supabase'];
const kernelFiles = [
  'errors.ts',
  'adapter-errors.ts',
  'defined-only.ts',
  'pagination.ts',
  'queue-migrations.ts',
  'record-or-not-found.ts',
  'record-modification.ts',
];

/** Folders whose files may hold SQL or Supabase code. */
const sqlFolders = ['postgres', 'supabase'];
/** File name prefixes that mark a SQL or Supabase adapter wherever the file sits. */
const sqlPrefixes = ['sql-', 'postgres-', 'supabase-'];
/** File name prefixes that mark an adapter that belongs in an adapter folder of its context. */
const adapterPrefixes = ['memory-', ...sqlPrefixes];
/** Driver libraries (and other packages' SQL entry points) only SQL adapters may import. */
const sqlPackages = [
  'pg',
  '@electric-sql/pglite',
  '@supabase/supabase-js',
  '@carequeue/audit/postgres',
  '@carequeue/queue/postgres',
  '@carequeue/queue/supabase',
];
/**
 * Core's SQL entry is SQL code, except its types (a port may name a `SqlExecutor`) and its
 * constraint error classes, which memory adapters throw to behave like the database.
 */
const coreSql = '@carequeue/core/sql';
const sqlText = /\b(?:SELECT\s|INSERT\s+INTO\s|DELETE\s+FROM\s|UPDATE\s+\S+\s+SET\s|pg_notify\b)/;

/** One import of a source file. */
export interface SourceImport {
  /** The specifier as written. */
  specifier: string;
  /** The imported `src/`-relative file (`.ts`), for relative specifiers. */
  file?: string;
  /** True when only types are imported. */
  typeOnly: boolean;
  /** The value names imported (empty for namespace, default or side-effect imports). */
  valueNames: string[];
}

/** Lists the imports, re-exports and dynamic imports of one source file. */
export function importsOf(file: string, source: string): SourceImport[] {
  const sourceFile = ts.createSourceFile(file, source, ts.ScriptTarget.ES2022, true);
  const found: SourceImport[] = [];
  const add = (specifier: string, typeOnly: boolean, valueNames: string[]) => {
    const relative = specifier.startsWith('.');
    const resolved = posix.join(posix.dirname(file), specifier).replace(/\.js$/, '.ts');
    found.push({
      specifier,
      ...(relative ? { file: resolved } : {}),
      typeOnly,
      valueNames,
    });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const named =
        clause?.namedBindings && ts.isNamedImports(clause.namedBindings)
          ? clause.namedBindings.elements
          : undefined;
      const values = (named ?? [])
        .filter((element) => !element.isTypeOnly)
        .map((element) => (element.propertyName ?? element.name).text);
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined && named !== undefined && values.length === 0));
      add(node.moduleSpecifier.text, typeOnly, clause?.isTypeOnly ? [] : values);
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      const named =
        node.exportClause && ts.isNamedExports(node.exportClause)
          ? node.exportClause.elements
          : undefined;
      const values = (named ?? [])
        .filter((element) => !element.isTypeOnly)
        .map((element) => (element.propertyName ?? element.name).text);
      const typeOnly = node.isTypeOnly || (named !== undefined && values.length === 0);
      add(node.moduleSpecifier.text, typeOnly, node.isTypeOnly ? [] : values);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      add(node.arguments[0].text, false, []);
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      add(node.argument.literal.text, true, []);
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

/** True when a string or template literal of the file holds SQL. */
export function containsSql(file: string, source: string): boolean {
  const sourceFile = ts.createSourceFile(file, source, ts.ScriptTarget.ES2022, true);
  let found = false;
  const visit = (node: ts.Node) => {
    if (found) return;
    if (
      (ts.isStringLiteral(node) ||
        ts.isNoSubstitutionTemplateLiteral(node) ||
        ts.isTemplateHead(node) ||
        ts.isTemplateMiddle(node) ||
        ts.isTemplateTail(node)) &&
      sqlText.test(node.text)
    ) {
      found = true;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

const segments = (file: string) => file.split('/');
const baseName = (file: string) => posix.basename(file);
const isTest = (file: string) => /\.test(?:-d)?\.ts$/.test(file);

/**
 * What a context offers other contexts: its index, and its adapter indexes for other contexts'
 * adapters of the same engine (a non-adapter importing those is reported as SQL).
 */
const publicSurfaces = (context: string) => [
  `${context}/index.ts`,
  `${context}/postgres/index.ts`,
  `${context}/supabase/index.ts`,
];

/** The context a file belongs to, if any. */
export function contextOf(file: string): string | undefined {
  const first = segments(file)[0];
  return (contexts as readonly string[]).includes(first ?? '') ? first : undefined;
}

const isKernel = (file: string) =>
  kernelFiles.includes(file.replace(/\.test\.ts$/, '.ts')) ||
  (segments(file).length > 1 && kernelFolders.includes(segments(file)[0] ?? ''));

/** True for files holding SQL or Supabase adapters (by folder or, until moved, by name). */
export function isSqlModule(file: string): boolean {
  return (
    inEngineFolder(file, sqlFolders) ||
    sqlPrefixes.some((prefix) => baseName(file).startsWith(prefix))
  );
}

/**
 * True for files inside a folder named after one of `engines`, at any depth: a context's
 * `postgres/` as much as the root's `postgres/`.
 */
export function inEngineFolder(file: string, engines: readonly string[]): boolean {
  return segments(file)
    .slice(0, -1)
    .some((segment) => engines.includes(segment));
}

/** True for files inside a folder that may hold SQL or Supabase code. */
const inSqlFolder = (file: string) => inEngineFolder(file, sqlFolders);

/** True for files inside an adapter folder (`memory/`, `postgres/`, `supabase/`). */
const inAdapterFolder = (file: string) => inEngineFolder(file, ['memory', 'postgres', 'supabase']);

/**
 * The layout violations of a source tree, one string per violation:
 * - `misplaced <file>`: the file is in no context, not in the kernel and no entry point, or it
 *   is a memory/SQL/Supabase adapter outside its context's adapter folder;
 * - `internals <file> -> <target>`: a context (or the kernel) imports a file of another context
 *   other than that context's `index.ts` (or, for adapters, `postgres/index.ts`/`supabase/index.ts`);
 * - `sql <file> -> <target>`: a file outside `postgres/`/`supabase/` imports SQL or Supabase code
 *   (tests may import entry points and drive a database);
 * - `sql-text <file>`: a file outside `postgres/`/`supabase/` holds SQL text.
 *
 * @param files `src/`-relative path to source text
 * @param entries `src/`-relative paths of the package's entry points (from `exports`)
 */
export function layoutViolations(files: ReadonlyMap<string, string>, entries: string[]): string[] {
  const violations = new Set<string>();
  const isEntry = (file: string) => entries.includes(file);
  const isEntryFolderFile = (file: string) => segments(file)[0] === 'testing';
  for (const [file, source] of files) {
    const context = contextOf(file);
    const adapterOutsideFolder =
      context !== undefined &&
      !inAdapterFolder(file) &&
      adapterPrefixes.some((prefix) => baseName(file).startsWith(prefix));
    if (
      (context === undefined && !isKernel(file) && !isEntry(file) && !isEntryFolderFile(file)) ||
      adapterOutsideFolder
    ) {
      violations.add(`misplaced ${file}`);
    }
    const sqlAllowed = inSqlFolder(file) || (isEntry(file) && isSqlModule(file));
    if (!sqlAllowed && !isTest(file) && containsSql(file, source)) {
      violations.add(`sql-text ${file}`);
    }
    for (const imported of importsOf(file, source)) {
      const target = imported.file;
      if (target === undefined) {
        const sqlPackage =
          sqlPackages.includes(imported.specifier) ||
          (imported.specifier === coreSql &&
            imported.valueNames.some((name) => !name.endsWith('Error')));
        if (!sqlAllowed && !isTest(file) && sqlPackage)
          violations.add(`sql ${file} -> ${imported.specifier}`);
        continue;
      }
      // A test may drive any entry point: entries are public, whatever folder they sit in.
      const testOfEntry = isTest(file) && isEntry(target);
      const targetContext = contextOf(target);
      const composes = isEntry(file) || isEntryFolderFile(file);
      const errorsMap = file === 'errors.ts' && /-errors?\.ts$/.test(target);
      if (
        targetContext !== undefined &&
        targetContext !== context &&
        !publicSurfaces(targetContext).includes(target) &&
        !(composes && context === undefined) &&
        !errorsMap &&
        !testOfEntry
      ) {
        violations.add(`internals ${file} -> ${target}`);
      }
      if (!sqlAllowed && isSqlModule(target) && !testOfEntry) {
        violations.add(`sql ${file} -> ${target}`);
      }
    }
  }
  return [...violations].sort();
}
