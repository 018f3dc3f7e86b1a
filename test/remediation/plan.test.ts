import { describe, expect, it } from 'vitest';
import {
  optedOutInstances,
  type PlanSubject,
  planRemediations,
} from '../../lambdas/engine/remediation/plan.ts';
import { DEFAULT_SETTINGS } from '../../lambdas/engine/settings.ts';

const PROFILE = 'arn:aws:iam::111122223333:instance-profile/app';
const subject = (instanceId: string): PlanSubject => ({
  instanceId,
  causes: ['ROLE_MISSING_SSM_PERMISSIONS'],
  optedOut: false,
  instanceProfileArn: PROFILE,
  roleName: 'app-role',
});
const settings = { ...DEFAULT_SETTINGS, remediationMode: 'on' as const };
const byProfile = new Map([[PROFILE, ['i-a', 'i-b', 'i-c']]]);

describe('planning a shared role change', () => {
  it('plans it once and names every other instance it reaches', () => {
    const plans = planRemediations([subject('i-b'), subject('i-a')], {
      settings,
      instancesByProfile: byProfile,
    });

    expect(plans.get('i-a')).toEqual([
      {
        id: 'attach-core-policy',
        status: 'planned',
        target: 'app-role',
        alsoAffects: ['i-b', 'i-c'],
        reason: 'will-apply',
      },
    ]);
    expect(plans.get('i-b')?.[0]).toMatchObject({
      status: 'planned',
      coveredBy: 'i-a',
      alsoAffects: ['i-a', 'i-c'],
    });
  });

  it('holds it back for everyone when any instance using the role opted out', () => {
    const plans = planRemediations([subject('i-a'), subject('i-b')], {
      settings,
      instancesByProfile: byProfile,
      optedOut: new Set(['i-c']),
    });

    for (const id of ['i-a', 'i-b']) {
      expect(plans.get(id)?.[0]).toMatchObject({ status: 'skipped', reason: 'opted-out' });
    }
  });

  it('finds opted-out instances whatever the case of the tag value', () => {
    const tagged = (id: string, value?: string) => ({
      InstanceId: id,
      Tags: value === undefined ? [] : [{ Key: 'ssm-doctor:remediate', Value: value }],
    });

    const ids = optedOutInstances([
      tagged('i-a', 'false'),
      tagged('i-b', 'FALSE'),
      tagged('i-c', 'true'),
      tagged('i-d'),
    ]);

    expect([...ids]).toEqual(['i-a', 'i-b']);
  });
});
