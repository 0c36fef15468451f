import { describe, expect, it } from 'vitest';
import { FixtureNotReadyError, useTestPglite } from '../../src/index.js';

describe('useTestPglite', () => {
  const pglite = useTestPglite();

  it('has btree_gist usable when the instance is restored from the snapshot', async () => {
    await pglite.db.exec(`
      CREATE TABLE slot (provider int, busy tstzrange,
        EXCLUDE USING gist (provider WITH =, busy WITH &&));
      INSERT INTO slot VALUES (1, '[2030-01-01 09:00Z, 2030-01-01 09:30Z)');
    `);
    await expect(
      pglite.db.query("INSERT INTO slot VALUES (1, '[2030-01-01 09:15Z, 2030-01-01 09:45Z)')"),
    ).rejects.toMatchObject({ code: '23P01' });
  });
});

let neverStarted: ReturnType<typeof useTestPglite> | undefined;
// A skipped suite is collected, so the fixture registers, but its hooks never run.
describe.skip('useTestPglite in a suite skipped on purpose: its hooks never run, so the next suite can read the fixture before them', () => {
  neverStarted = useTestPglite();
});

describe('useTestPglite before its hooks ran', () => {
  it('throws FixtureNotReadyError when a property is read', () => {
    expect(neverStarted).toBeDefined();
    expect(() => neverStarted?.db).toThrow(FixtureNotReadyError);
  });
});
