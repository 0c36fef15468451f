import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { installedPgliteRelease, pgliteSnapshotPath } from './pglite-snapshot.js';

describe('pgliteSnapshotPath', () => {
  it('names a different snapshot for each PGlite release, since dumps do not start across releases', () => {
    expect(pgliteSnapshotPath([], '0.5.16')).not.toBe(pgliteSnapshotPath([], '0.6.1'));
    expect(pgliteSnapshotPath([], '0.6.1')).toBe(pgliteSnapshotPath([], '0.6.1'));
    expect(pgliteSnapshotPath([], '0.6.1')).toContain('pglite-0.6.1-');
  });

  it('uses the installed release by default', () => {
    expect(pgliteSnapshotPath([])).toBe(pgliteSnapshotPath([], installedPgliteRelease()));
  });
});

describe('installedPgliteRelease', () => {
  it('is the exact release the harness depends on', () => {
    const manifest = JSON.parse(
      readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8'),
    ) as { dependencies: Record<string, string> };
    expect(installedPgliteRelease()).toBe(manifest.dependencies['@electric-sql/pglite']);
  });
});
