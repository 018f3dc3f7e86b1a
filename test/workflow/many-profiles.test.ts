/**
 * DynamoDB refuses an item over 400 KB. Who uses each candidate's instance profile grows with the
 * number of distinct profiles (one per instance is common with per-instance IaC modules), so it
 * cannot ride in the run's META item: a few thousand candidates would fail every run at Start.
 */
import { describe, expect, it } from 'vitest';
import { createClients } from '../../lambdas/aws/clients.ts';
import { SimulatedAccount } from '../../lambdas/sim/account.ts';
import type { StageDeps } from '../../lambdas/workflow/deps.ts';
import type { ProfilesItem } from '../../lambdas/workflow/run-data.ts';
import { startRun } from '../../lambdas/workflow/stages/start-run.ts';
import { RunStore } from '../../lambdas/workflow/store.ts';
import { buildWorld, profileArn } from '../remediation/worlds.ts';
import { withTable } from './harness.ts';

const CANDIDATES = 5000;

function fleetWithAProfileEach() {
  const world = buildWorld({ instances: [{ id: 'i-00000000000000000' }] });
  const [template] = world.ec2.Instances;
  world.ec2.Instances = Array.from({ length: CANDIDATES }, (_, n) => ({
    ...template,
    InstanceId: `i-${n.toString(16).padStart(17, '0')}`,
    PrivateIpAddress: `10.0.${Math.floor(n / 250)}.${(n % 250) + 4}`,
    IamInstanceProfile: { Arn: profileArn(`application-server-profile-${n}`) },
  }));
  return world;
}

describe('a run whose candidates use thousands of instance profiles', () => {
  it('starts, with every profile user kept for planning', { timeout: 60_000 }, async () => {
    await withTable(async (dynamo) => {
      const account = new SimulatedAccount(fleetWithAProfileEach());
      const store = new RunStore(dynamo.client, dynamo.tableName, () => account.now());
      const deps: StageDeps<'start-run'> = {
        clients: createClients({ region: account.region, simulated: account }),
        env: {
          TABLE_NAME: dynamo.tableName,
          SETTINGS_PREFIX: '/ssm-doctor/',
          ACCOUNT_ID: account.accountId,
          PARTITION: 'aws',
        },
        store,
        clock: () => account.now(),
        batchSize: 100,
        log: () => undefined,
      };

      const started = await startRun(deps, { trigger: 'test' });

      expect(started).toMatchObject({ locked: false, candidates: CANDIDATES });
      const items = await store.queryRunItems<ProfilesItem>(started.runId, 'PROFILES#');
      const users = new Map(items.flatMap((item) => Object.entries(item.users)));
      expect(users.size).toBe(CANDIDATES);
      expect(users.get(profileArn('application-server-profile-7'))).toEqual([
        `i-${(7).toString(16).padStart(17, '0')}`,
      ]);
    });
  });
});
