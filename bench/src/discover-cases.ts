import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchCase } from './case-definition.js';
import { importCaseModule } from './import-case-module.js';

/** A case found under the cases folder, with the module file that defines it. */
export interface DiscoveredCase {
  /** The case's id, for selecting it. */
  readonly id: string;
  /** Absolute path of the case module, so that a worker process can import that module alone. */
  readonly file: string;
  readonly benchCase: BenchCase;
}

function isCaseModule(fileName: string): boolean {
  return /\.(ts|js)$/.test(fileName) && !/\.(test|d)\.ts$/.test(fileName);
}

/**
 * Imports every case module under a folder (recursively) and returns their cases with their
 * files, sorted by id. Each module must default-export a {@link BenchCase} made by `defineCase`.
 *
 * @throws Error when a module exports no case or two cases share an id.
 * @example
 * ```ts
 * const found = await discoverCases(fileURLToPath(new URL('./cases/', import.meta.url)));
 * found[0]; // { id: 'audit.append-buffered', file: '/…/cases/audit/append-buffered.ts', benchCase }
 * ```
 */
export async function discoverCases(directory: string): Promise<DiscoveredCase[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile() && isCaseModule(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
  const byId = new Map<string, string>();
  const found: DiscoveredCase[] = [];
  for (const file of files) {
    const benchCase = await importCaseModule(file);
    const clash = byId.get(benchCase.id);
    if (clash !== undefined) {
      throw new Error(`Case id ${benchCase.id} is defined twice: ${clash} and ${file}.`);
    }
    byId.set(benchCase.id, file);
    found.push({ id: benchCase.id, file, benchCase });
  }
  return found.sort((a, b) => a.id.localeCompare(b.id));
}
