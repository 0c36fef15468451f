import { describe, expect, it } from 'vitest';
import { FixtureNotReadyError, useTestPglite } from '../../src/index.js';
import { thrownBy } from './thrown-by.js';

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

describe('useTestPglite before its hooks ran', () => {
  const fixture = useTestPglite();
  // Read while the suite is being collected, before its beforeAll hook has run.
  const earlyRead = thrownBy(() => fixture.db);

  it('throws FixtureNotReadyError when a property is read, and serves it once the hooks ran', () => {
    expect(earlyRead).toBeInstanceOf(FixtureNotReadyError);
    expect(fixture.db).toBeDefined();
  });
});
