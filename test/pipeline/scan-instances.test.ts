/**
 * `scan --instance ID` limits what is diagnosed, not who a shared-role change reaches: planning
 * must still see every instance that uses the same profile (to list them, and to hold the change
 * back when one of them opted out).
 */
import { describe, expect, it } from 'vitest';
import { scan } from '../../lambdas/pipeline/scan.ts';
import { settingsFor, simulate } from '../remediation/harness.ts';
import { buildWorld } from '../remediation/worlds.ts';

const A = 'i-0000000000000000a';
const B = 'i-0000000000000000b';

describe('scan of chosen instances', () => {
  it('plans a shared-role change against every user of the profile, not just the chosen ones', async () => {
    const sim = simulate(
      buildWorld({
        instances: [
          { id: A, profile: 'shared' },
          { id: B, profile: 'shared', tags: { 'ssm-doctor:remediate': 'false' } },
        ],
        profiles: { shared: 'shared-role' },
      }),
    );

    const report = await scan(
      sim.clients,
      {
        accountId: sim.account.accountId,
        partition: 'aws',
        region: sim.account.region,
        now: sim.account.now(),
        settings: settingsFor({ remediationMode: 'dry-run' }),
      },
      { instanceIds: [A] },
    );

    expect(report.findings.map((f) => f.instanceId)).toEqual([A]);
    expect(report.findings[0]?.remediations).toEqual([
      {
        id: 'attach-core-policy',
        target: 'shared-role',
        status: 'skipped',
        reason: 'shared-with-opted-out',
        detail: expect.stringContaining(B),
        alsoAffects: [B],
      },
    ]);
  });
});
