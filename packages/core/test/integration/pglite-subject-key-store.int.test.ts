import { describe } from 'vitest';
import {
  asServiceRole,
  createPgliteExecutor,
  postgresSubjectKeyStore,
} from '../../src/sql/index.js';
// The harness is built on core's SQL layer, so core's tests import the built harness by path.
import { useTestPglite } from '../../../../tools/test-harness/dist/index.js';
import { describeSubjectKeyRewrap } from '../support/subject-key-rewrap-scenarios.js';
import { describeSubjectKeyStoreContract } from '../support/subject-key-store-contract.js';

describe('postgresSubjectKeyStore on PGlite', () => {
  const pglite = useTestPglite();

  async function emptyStore() {
    const executor = createPgliteExecutor(pglite.db);
    await asServiceRole(executor, (tx) => tx.query('DELETE FROM carequeue.subject_keys'));
    return postgresSubjectKeyStore({ executor });
  }

  describeSubjectKeyStoreContract('postgresSubjectKeyStore on PGlite', emptyStore);
  describeSubjectKeyRewrap('postgresSubjectKeyStore on PGlite', emptyStore);
});
