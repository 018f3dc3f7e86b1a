/**
 * The two small worlds for the DHMC-dependent causes (DHMC is one setting per account):
 * `dhmc-off.json` and `dhmc-invalid-role.json`, as examples/worlds/README.md documents them.
 */
import { describe, expect, it } from 'vitest';
import type { RootCause } from '../../lambdas/engine/causes.ts';
import { exampleWorld, findingOf, scanWorld } from './scan-world.ts';

describe('dhmc-off.json (DHMC $None)', () => {
  it('blames the missing profile, and profile defects DHMC cannot cover', async () => {
    const scanned = await scanWorld(await exampleWorld('dhmc-off.json'));
    const expected: Record<string, RootCause> = {
      'reports-1': 'NO_INSTANCE_PROFILE',
      'reports-2': 'NO_INSTANCE_PROFILE',
      'reports-3': 'NO_INSTANCE_PROFILE',
      'cron-1': 'INSTANCE_PROFILE_NOT_FOUND',
      'wiki-1': 'ROLE_MISSING_SSM_PERMISSIONS',
    };
    expect(Object.fromEntries(scanned.report.findings.map((f) => [f.name, f.rootCause]))).toEqual(expected);
    expect(scanned.report.summary).toMatchObject({
      runningInstances: 6,
      online: 1,
      notRegistered: 4,
      connectionLost: 1,
    });
    expect(findingOf(scanned, 'reports-1').remediations).toMatchObject([
      { id: 'attach-instance-profile', status: 'planned', reason: 'dry-run' },
    ]);
    expect(findingOf(scanned, 'reports-3').remediations).toMatchObject([
      { id: 'attach-instance-profile', status: 'skipped', reason: 'opted-out' },
    ]);
    expect(findingOf(scanned, 'wiki-1').remediations).toMatchObject([
      { id: 'attach-core-policy', status: 'planned', target: 'wiki-role' },
    ]);
  });
});

describe('dhmc-invalid-role.json (DHMC role does not trust ssm.amazonaws.com)', () => {
  it('blames the DHMC role for instances without a profile, and profile defects it cannot cover', async () => {
    const scanned = await scanWorld(await exampleWorld('dhmc-invalid-role.json'));
    const expected: Record<string, RootCause> = {
      'build-1': 'DHMC_ROLE_INVALID',
      'build-2': 'DHMC_ROLE_INVALID',
      'worker-1': 'ROLE_TRUST_POLICY_INVALID',
      'worker-2': 'INSTANCE_PROFILE_NO_ROLE',
    };
    expect(Object.fromEntries(scanned.report.findings.map((f) => [f.name, f.rootCause]))).toEqual(expected);
    // build-2's agent is also too old for DHMC: the next thing to fix once the role is.
    expect(findingOf(scanned, 'build-2').causes).toEqual(['DHMC_ROLE_INVALID', 'DHMC_AGENT_TOO_OLD']);
    expect(findingOf(scanned, 'build-1').remediations).toMatchObject([
      { id: 'attach-instance-profile', status: 'planned' },
    ]);
  });
});
