/**
 * One instance profile per instance is common with per-instance IaC modules. What the run reads
 * of IAM grows with the profiles, so it must not ride in one table item (400 KB): each batch is
 * handed the profiles of its own candidates, in its work object.
 */
import { describe, expect, it } from 'vitest';
import { createClients } from '../../lambdas/aws/clients.ts';
import { SimulatedAccount } from '../../lambdas/sim/account.ts';
import type { StageDeps } from '../../lambdas/workflow/deps.ts';
import type { BatchObject } from '../../lambdas/workflow/run-data.ts';
import { startRun } from '../../lambdas/workflow/stages/start-run.ts';
import { RunStore } from '../../lambdas/workflow/store.ts';
import { batchObject, WorkObjects } from '../../lambdas/workflow/work-objects.ts';
import { buildWorld, profileArn } from '../remediation/worlds.ts';
import { withTable } from './harness.ts';

const CANDIDATES = 5000;
const BUCKET = 'ssm-doctor-reports-111122223333-eu-west-1';

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
          REPORT_BUCKET: BUCKET,
        },
        store,
        clock: () => account.now(),
        batchSize: 100,
        log: () => undefined,
      };

      const started = await startRun(deps, { trigger: 'test' });

      expect(started).toMatchObject({ locked: false, candidates: CANDIDATES });
      const work = new WorkObjects(deps.clients.s3, BUCKET, started.runId);
      const batches = await Promise.all(started.batches.map((i) => work.get<BatchObject>(batchObject(i))));
      const seven = `i-${(7).toString(16).padStart(17, '0')}`;
      for (const batch of batches) {
        // Each batch carries exactly the profiles of its own candidates.
        expect(batch.facts.profiles.size).toBe(batch.candidates.length);
      }
      const holder = batches.find((b) => b.candidates.some((c) => c.instanceId === seven));
      expect(holder?.facts.profiles.get(profileArn('application-server-profile-7'))?.ok).toBe(true);
      expect(batches.reduce((n, b) => n + b.facts.profiles.size, 0)).toBe(CANDIDATES);
    });
  });
});
