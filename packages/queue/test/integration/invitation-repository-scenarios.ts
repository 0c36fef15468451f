import { asServiceRole, type SqlExecutor } from '@carequeue/core/sql';
import { describe, expect, it } from 'vitest';
import { sqlInvitationRepository } from '../../src/postgres/index.js';
import { hashInvitationToken, newInvitationToken } from '../../src/index.js';
import { runInvitationRepositoryContract, sampleInvitation } from '../../src/testing/index.js';
import { sqlContractFixtures } from './service-fixtures.js';

/** The invitation repository contract on one executor kind. */
export function invitationRepositoryScenarios(executor: () => SqlExecutor): void {
  runInvitationRepositoryContract(
    { describe, it, expect },
    {
      name: 'sql',
      create: () => sqlInvitationRepository({ executor: executor() }),
      fixtures: sqlContractFixtures(executor),
    },
  );

  describe('invitation storage', () => {
    it('stores the token hash and never the token when an invitation is inserted', async () => {
      const fixtures = sqlContractFixtures(executor);
      const tenantId = await fixtures.tenant();
      const token = newInvitationToken();
      const invitation = sampleInvitation(tenantId, [], { tokenHash: hashInvitationToken(token) });
      await sqlInvitationRepository({ executor: executor() }).insert(invitation);
      const { rows } = await asServiceRole(executor(), (tx) =>
        tx.query('SELECT row_to_json(i)::text AS row FROM queue.invitations i WHERE id = $1', [
          invitation.id,
        ]),
      );
      expect(JSON.stringify(rows)).not.toContain(token);
      expect(JSON.stringify(rows)).toContain(invitation.tokenHash);
    });
  });
}
