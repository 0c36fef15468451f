// No source module of the queue or cache package is over MAX_MODULE_LINES lines: past that a
// file holds more than one concept and is split into modules named for what they do.
//
// ALLOW-LIST: `knownOversizeModules` names the modules that were over the limit when this test
// was written. It only ever shrinks: the test fails on an oversize module that is not listed and
// on a listed one that is back under the limit or gone (the split that fixes it removes its entry
// in the same commit). When it is empty, delete it. Tests (`*.test.ts`) are not modules.
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const MAX_MODULE_LINES = 400;

const knownOversizeModules = [
  'queue/src/clinics/clinic-service.ts',
  'queue/src/patients/patient-service.ts',
  'queue/src/postgres/queue-rows.ts',
];

const packagesDir = join(import.meta.dirname, '..', '..');
const checkedRoots = ['queue/src', 'cache/src'];

/** The line count of every source module under the checked roots, by path from `packages/`. */
function moduleLines(): Map<string, number> {
  const lines = new Map<string, number>();
  for (const root of checkedRoots) {
    const rootDir = join(packagesDir, root);
    for (const entry of readdirSync(rootDir, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.ts') || /\.test(-d)?\.ts$/.test(entry.name)) {
        continue;
      }
      const path = join(entry.parentPath, entry.name);
      const text = readFileSync(path, 'utf8');
      const count = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
      lines.set(relative(packagesDir, path).split(sep).join('/'), count);
    }
  }
  return lines;
}

describe('module size', () => {
  const lines = moduleLines();
  const oversize = [...lines]
    .filter(([, count]) => count > MAX_MODULE_LINES)
    .map(([path]) => path)
    .sort();

  it('reads the modules of every checked package', () => {
    for (const root of checkedRoots) {
      expect([...lines.keys()].some((path) => path.startsWith(`${root}/`))).toBe(true);
    }
  });

  it(`has no module over ${MAX_MODULE_LINES} lines beyond the allow-list`, () => {
    expect(
      oversize
        .filter((path) => !knownOversizeModules.includes(path))
        .map((path) => `${path}: ${lines.get(path)} lines`),
    ).toEqual([]);
  });

  it('lists only modules that are still oversize, so the allow-list shrinks with every split', () => {
    expect(knownOversizeModules.filter((path) => !oversize.includes(path))).toEqual([]);
  });
});
