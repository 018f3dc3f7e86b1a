import type { Instance } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { instancesByProfile } from '../../lambdas/engine/fleet.ts';
import { planRemediations } from '../../lambdas/engine/remediation/plan.ts';

const PROFILE = 'arn:aws:iam::111122223333:instance-profile/shared';
const instance = (i: number): Instance => ({
  InstanceId: `i-${String(i).padStart(17, '0')}`,
  IamInstanceProfile: { Arn: PROFILE },
});

describe('a role shared by a large fleet', () => {
  it('names the first 50 other users and counts the rest', () => {
    const users = instancesByProfile(Array.from({ length: 3000 }, (_, i) => instance(i)));
    expect(users.get(PROFILE)).toHaveLength(3000);

    const plans = planRemediations(
      [
        {
          instanceId: 'i-00000000000000007',
          causes: ['ROLE_MISSING_SSM_PERMISSIONS'],
          optedOut: false,
          instanceProfileArn: PROFILE,
          roleName: 'shared-role',
        },
      ],
      {
        settings: { remediationMode: 'dry-run', enforceImdsV2: false, maxRemediationsPerRun: 10 },
        roles: new Map([
          [
            'shared-role',
            { roleName: 'shared-role', users: (users.get(PROFILE) ?? []).sort(), optedOutUsers: [] },
          ],
        ]),
      },
    );

    const [fix] = plans.get('i-00000000000000007') ?? [];
    expect(fix).toMatchObject({
      id: 'attach-core-policy',
      status: 'planned',
      target: 'shared-role',
      alsoAffectsCount: 2999,
    });
    expect(fix?.alsoAffects).toHaveLength(50);
    expect(fix?.alsoAffects).not.toContain('i-00000000000000007');
  });
});
