import { ClinicId, TenantId, uuidv7 } from '@carequeue/core';
import { asServiceRole, type SqlExecutor } from '@carequeue/core/sql';
import { describe, expect, it } from 'vitest';
import { sqlInvitationRepository } from '../../src/adapters/postgres.js';
import { hashInvitationToken, newInvitationToken } from '../../src/index.js';
import {
  runInvitationRepositoryContract,
  sampleInvitation,
  type ContractFixtures,
} from '../../src/testing/index.js';

function fixturesOn(executor: () => SqlExecutor): ContractFixtures {
  return {
    tenant: async () => {
      const tenantId = TenantId.parse(uuidv7());
      await asServiceRole(executor(), (tx) =>
        tx.query(
          "INSERT INTO queue.tenants (tenant_id, name, created_at) VALUES ($1, 'T', now())",
          [tenantId],
        ),
      );
      return tenantId;
    },
    clinic: async (tenantId) => {
      const clinicId = ClinicId.parse(uuidv7());
      await asServiceRole(executor(), (tx) =>
        tx.query(
          `INSERT INTO queue.clinics (id, tenant_id, name, time_zone, settings, created_at, updated_at, version)
           VALUES ($1, $2, 'Clinic', 'UTC', '{}', now(), now(), 0)`,
          [clinicId, tenantId],
        ),
      );
      return clinicId;
    },
  };
}

/** The invitation repository contract on one executor kind. */
export function invitationRepositoryScenarios(executor: () => SqlExecutor): void {
  runInvitationRepositoryContract(
    { describe, it, expect },
    {
      name: 'sql',
      create: () => sqlInvitationRepository({ executor: executor() }),
      fixtures: fixturesOn(executor),
    },
  );

  describe('invitation storage', () => {
    it('stores the token hash and never the token when an invitation is inserted', async () => {
      const fixtures = fixturesOn(executor);
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
