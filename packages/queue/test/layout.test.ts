// The layout of packages/queue/ARCHITECTURE.md, checked on every source file of `src/`, and the
// entry points it names: the root entry exports nothing declared in a `postgres/` or `supabase/`
// folder, and package.json `exports` point at the sources the "Entry points" table lists.
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { entriesFromExports, entryOfExport } from '../../../scripts/package-entries.mjs';
import { inEngineFolder, layoutViolations } from './layout-rules.js';

const packageDir = join(import.meta.dirname, '..');
const srcDir = join(packageDir, 'src');

function readSources(): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(srcDir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(srcDir, path).split(sep).join('/'), readFileSync(path, 'utf8'));
  }
  return files;
}

const entries = Object.values(entriesFromExports(packageDir)).map((file) =>
  file.replace(/^src\//, ''),
);

const tree = (files: Record<string, string>) => new Map(Object.entries(files));

/**
 * Every name the entry exports (types included), each with the `src/`-relative files that
 * declare it, as the TypeScript checker resolves re-exports.
 */
function declarationsOfExports(entry: string): Map<string, string[]> {
  const program = ts.createProgram([join(srcDir, entry)], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(join(srcDir, entry));
  const module = source && checker.getSymbolAtLocation(source);
  if (module === undefined) throw new Error(`${entry} is not a module`);
  const declared = new Map<string, string[]>();
  for (const exported of checker.getExportsOfModule(module)) {
    const symbol =
      exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const files = (symbol.declarations ?? []).map((declaration) =>
      relative(srcDir, declaration.getSourceFile().fileName).split(sep).join('/'),
    );
    declared.set(exported.name, files);
  }
  return declared;
}

/** The source of each subpath export, `src/`-relative, as package.json `exports` sets it. */
function exportSources(): Record<string, string> {
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
    name: string;
    exports: Record<string, unknown>;
  };
  return Object.fromEntries(
    Object.keys(manifest.exports)
      .filter((subpath) => subpath !== './package.json')
      .map((subpath) => [subpath, `src/${entryOfExport(manifest, subpath)}.ts`]),
  );
}

/** The "Entry points" table of ARCHITECTURE.md: each entry with the source it names. */
function documentedEntrySources(): Record<string, string> {
  const architecture = readFileSync(join(packageDir, 'ARCHITECTURE.md'), 'utf8');
  const section = /^## Entry points\n([\s\S]*?)(?=^## )/m.exec(architecture)?.[1] ?? '';
  const rows = section.matchAll(/^\| `(\.[^`]*)` +\| `(src\/[^`]+)` +\|/gm);
  const sources: Record<string, string> = {};
  for (const [, subpath, source] of rows) {
    if (subpath !== undefined && source !== undefined) sources[subpath] = source;
  }
  return sources;
}

describe('queue source layout', () => {
  it('has no layout violation', () => {
    expect(layoutViolations(readSources(), entries)).toEqual([]);
  });

  it('exports nothing from the root entry that is declared in a postgres/ or supabase/ folder', () => {
    const declared = declarationsOfExports('index.ts');
    expect(declared.size).toBeGreaterThan(100);
    const fromAdapters = [...declared]
      .filter(([, files]) => files.some((file) => inEngineFolder(file, ['postgres', 'supabase'])))
      .map(([name, files]) => `${name} (${files.join(', ')})`);
    expect(fromAdapters).toEqual([]);
  });

  it('points every package.json export at the source ARCHITECTURE.md names for it', () => {
    const documented = documentedEntrySources();
    expect(Object.keys(documented)).toContain('./postgres');
    expect(exportSources()).toEqual(documented);
  });
});

describe('layoutViolations', () => {
  it('reports a context importing a file of another context', () => {
    const files = tree({
      'staff/staff-service.ts': "import type { Clinic } from '../clinics/clinic-repository.js';",
      'clinics/clinic-repository.ts': 'export interface Clinic { id: string }',
    });
    expect(layoutViolations(files, [])).toEqual([
      'internals staff/staff-service.ts -> clinics/clinic-repository.ts',
    ]);
  });

  it('accepts an import of another context through its index', () => {
    const files = tree({
      'staff/staff-service.ts': "import type { Clinic } from '../clinics/index.js';",
      'clinics/index.ts': "export type { Clinic } from './clinic-repository.js';",
      'clinics/clinic-repository.ts': 'export interface Clinic { id: string }',
    });
    expect(layoutViolations(files, [])).toEqual([]);
  });

  it('lets the entry points compose every context', () => {
    const files = tree({
      'index.ts': "export { createClinicService } from './clinics/clinic-service.js';",
      'clinics/clinic-service.ts': 'export const createClinicService = () => ({});',
    });
    expect(layoutViolations(files, ['index.ts'])).toEqual([]);
  });

  it('reports SQL code imported outside a postgres or supabase folder', () => {
    const files = tree({
      'booking/memory/appointment-repository.ts':
        "import { toRange } from '../../postgres/sql-values.js';",
      'booking/book.ts': "import { withClaims } from '@carequeue/core/sql';",
      'booking/postgres/appointment-repository.ts':
        "import { withClaims } from '@carequeue/core/sql';\nimport { toRange } from '../../postgres/sql-values.js';",
      'postgres/sql-values.ts': 'export const toRange = () => 1;',
    });
    expect(layoutViolations(files, [])).toEqual([
      'sql booking/book.ts -> @carequeue/core/sql',
      'sql booking/memory/appointment-repository.ts -> postgres/sql-values.ts',
    ]);
  });

  it('allows types and constraint errors of core sql outside adapter folders', () => {
    const files = tree({
      'realtime/event-bus.ts': "import type { SqlExecutor } from '@carequeue/core/sql';",
      'clinics/memory/clinic-repository.ts':
        "import { UniqueViolationError, type SqlExecutor } from '@carequeue/core/sql';",
    });
    expect(layoutViolations(files, [])).toEqual([]);
  });

  it('reports SQL text outside a postgres or supabase folder', () => {
    const files = tree({
      'jobs/job-scheduler.ts': 'export const claim = `SELECT id FROM queue.jobs`;',
      'jobs/postgres/job-scheduler.ts': 'export const claim = `SELECT id FROM queue.jobs`;',
    });
    expect(layoutViolations(files, [])).toEqual(['sql-text jobs/job-scheduler.ts']);
  });

  it('reports adapters outside their adapter folder and files outside the layout', () => {
    const files = tree({
      'clinics/memory-clinic-repository.ts': 'export {};',
      'clinics/memory/clinic-repository.ts': 'export {};',
      'outbox/notification-outbox.ts': 'export {};',
      'arguments/checked-port.ts': 'export {};',
    });
    expect(layoutViolations(files, [])).toEqual([
      'misplaced clinics/memory-clinic-repository.ts',
      'misplaced outbox/notification-outbox.ts',
    ]);
  });

  it('ignores imports written in comments, such as TSDoc examples', () => {
    const files = tree({
      'clinics/clinic-service.ts':
        "/**\n * @example\n * import { sqlClinicRepository } from '@carequeue/queue/postgres';\n * import '../staff/staff-service.js';\n */\nexport {};",
    });
    expect(layoutViolations(files, [])).toEqual([]);
  });
});

describe('inEngineFolder', () => {
  it("finds a file in a context's engine folder and in the root's, but not by file name", () => {
    expect(inEngineFolder('jobs/postgres/job-scheduler.ts', ['postgres'])).toBe(true);
    expect(inEngineFolder('postgres/index.ts', ['postgres'])).toBe(true);
    expect(inEngineFolder('realtime/supabase/event-bus.ts', ['postgres', 'supabase'])).toBe(true);
    expect(inEngineFolder('notifications/postgres-outbox.ts', ['postgres'])).toBe(false);
    expect(inEngineFolder('adapter-errors.ts', ['postgres', 'supabase'])).toBe(false);
  });
});
