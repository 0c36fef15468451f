import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isBenchCase, type BenchCase } from './case-definition.js';

function isCaseModule(fileName: string): boolean {
  return /\.(ts|js)$/.test(fileName) && !/\.(test|d)\.ts$/.test(fileName);
}

/**
 * Imports every case module under a folder (recursively) and returns their cases sorted by id.
 * Each module must default-export a {@link BenchCase} made by `defineCase`.
 *
 * @throws Error when a module exports no case or two cases share an id.
 * @example
 * ```ts
 * const cases = await discoverCases(fileURLToPath(new URL('./cases/', import.meta.url)));
 * ```
 */
export async function discoverCases(directory: string): Promise<BenchCase[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile() && isCaseModule(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
  const byId = new Map<string, string>();
  const cases: BenchCase[] = [];
  for (const file of files) {
    const module = (await import(pathToFileURL(file).href)) as { default?: unknown };
    if (!isBenchCase(module.default)) {
      throw new Error(`${file} must default-export a case made with defineCase().`);
    }
    const clash = byId.get(module.default.id);
    if (clash !== undefined) {
      throw new Error(`Case id ${module.default.id} is defined twice: ${clash} and ${file}.`);
    }
    byId.set(module.default.id, file);
    cases.push(module.default);
  }
  return cases.sort((a, b) => a.id.localeCompare(b.id));
}
