/**
 * Faults in the deployed workflow: an area that cannot be read is named in the email's
 * configuration section (never "nothing blocking"); an AWS outage is retried as a stage and, if
 * it persists, fails the run instead of turning root causes into UNKNOWN; SSM's InvalidInstanceId
 * for instances that are not registered (yet) does not crash Verify.
 */
import { describe, expect, it } from 'vitest';
import type { World } from '../../lambdas/sim/index.ts';
import { run, sampleFleet, statesEntered, withTable } from './harness.ts';

type Fault = { operation: string; code: string; times?: number };
const withFaults = (world: World, faults: Fault[]): World =>
  ({ ...world, simulation: { ...world.simulation, faults } }) as World;

describe('faults in the local workflow', () => {
  it('a denied DescribeRouteTables is a configuration problem in the email, and no entry says nothing blocking', async () => {
    await withTable(async (dynamo) => {
      const world = withFaults(await sampleFleet(), [
        { operation: 'DescribeRouteTables', code: 'UnauthorizedOperation' },
      ]);
      const result = await run(dynamo, world);
      expect(result.status).toBe('SUCCEEDED');
      const email = result.account.published.at(-1)?.Message ?? '';
      expect(email).toContain('CONFIGURATION PROBLEMS');
      expect(email).toContain('ec2:DescribeRouteTables (UnauthorizedOperation)');
      expect(email).not.toMatch(/nothing blocking/i);
    });
  });

  it('an outage that outlasts the SDK retries is retried as a stage, then succeeds', async () => {
    await withTable(async (dynamo) => {
      // Five failed attempts exhaust one invocation's SDK retries; the stage retry gets through.
      const world = withFaults(await sampleFleet(), [
        { operation: 'DescribeRouteTables', code: 'InternalError', times: 5 },
      ]);
      const result = await run(dynamo, world);
      expect(result.status).toBe('SUCCEEDED');
      // One batch: five failed attempts in the first invocation, one that succeeds in the retry.
      expect(result.account.callCounts()['ec2:DescribeRouteTables']).toBe(6);
      expect(result.account.published.at(-1)?.Message).not.toContain('ec2:DescribeRouteTables');
    });
  });

  it('a persistent outage fails the run, says so, and reports no finding', async () => {
    await withTable(async (dynamo) => {
      const world = withFaults(await sampleFleet(), [
        { operation: 'DescribeRouteTables', code: 'InternalError' },
      ]);
      const result = await run(dynamo, world);
      expect(result.status).toBe('FAILED');
      expect(result.error?.Error).toBe('AwsOutage');
      expect(statesEntered(result)).toContain('Notify failure');
      expect(statesEntered(result)).not.toContain('Report and notify');
      expect(result.account.published.at(-1)?.Subject).toMatch(/failed/i);
    });
  });

  it('Verify reads the fixed instances although SSM answers InvalidInstanceId for unregistered ones', async () => {
    await withTable(async (dynamo) => {
      const world = await sampleFleet();
      // No instance comes online after its fix: every fixed id is unregistered when Verify asks.
      const stubborn = { ...world, simulation: { ...world.simulation, onlineAfterFix: [] } } as World;
      const result = await run(dynamo, stubborn, {
        settings: { 'remediation-mode': 'on', 'enforce-imdsv2': 'true' },
      });
      expect(result.status).toBe('SUCCEEDED');
      expect(statesEntered(result)).toContain('Verify');
      expect(result.output).toMatchObject({ verification: { verified: 0, waiting: 4 } });
    });
  });
});
