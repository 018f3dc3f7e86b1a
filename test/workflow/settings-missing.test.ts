/** A setting missing from Parameter Store is a configuration problem the email names, and widens nothing. */
import { describe, expect, it } from 'vitest';
import { SimulatedAccount } from '../../lambdas/sim/index.ts';
import { localDeployment } from '../support/local/definition.ts';
import { deployedInto, SETTINGS_PREFIX } from '../support/local/run-locally.ts';
import { run, sampleFleet, withTable } from './harness.ts';

describe('a missing setting', () => {
  it('is named in the email, its default applies, and the run makes no change', async () => {
    await withTable(async (dynamo) => {
      const world = await sampleFleet();
      const deployed = deployedInto(world, localDeployment(world, dynamo.tableName), {
        'remediation-mode': 'on',
      });
      const gone = `${SETTINGS_PREFIX}max-remediations-per-run`;
      const account = new SimulatedAccount({
        ...deployed,
        ssm: { ...deployed.ssm, Parameters: (deployed.ssm?.Parameters ?? []).filter((p) => p.Name !== gone) },
      });

      const result = await run(dynamo, world, { account });

      expect(result.status).toBe('SUCCEEDED');
      expect(result.account.changes).toEqual([]);
      expect(result.output).toMatchObject({ remediation: { applied: 0 } });
      const email = result.account.published.at(-1);
      expect(email?.Subject).toContain('configuration problems');
      expect(email?.Message).toContain(`${gone} is not in Parameter Store`);
    });
  });
});
