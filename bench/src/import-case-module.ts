import { pathToFileURL } from 'node:url';
import { isBenchCase, type BenchCase } from './case-definition.js';

/**
 * Imports one case module and returns the case it default-exports.
 *
 * @throws Error naming the file when it does not default-export a case made by `defineCase`.
 * @example
 * ```ts
 * const benchCase = await importCaseModule('/repo/bench/src/cases/core/uuidv7.ts');
 * benchCase.id; // 'core.id.uuidv7'
 * ```
 */
export async function importCaseModule(file: string): Promise<BenchCase> {
  const module = (await import(pathToFileURL(file).href)) as { default?: unknown };
  if (!isBenchCase(module.default)) {
    throw new Error(`${file} must default-export a case made with defineCase().`);
  }
  return module.default;
}
