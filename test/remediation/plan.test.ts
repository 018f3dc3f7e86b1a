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
const role = (optedOutUsers: string[] = []) =>
  new Map([['app-role', { roleName: 'app-role', users: ['i-a', 'i-b', 'i-c'], optedOutUsers }]]);

describe('planning a shared role change', () => {
  it('plans it once and names every other instance it reaches', () => {
    const plans = planRemediations([subject('i-b'), subject('i-a')], {
      settings,
      roles: role(),
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
      roles: role(['i-c']),
    });

    for (const id of ['i-a', 'i-b']) {
      expect(plans.get(id)?.[0]).toMatchObject({ status: 'skipped', reason: 'shared-with-opted-out' });
    }
  });

  it('does not change a role it could not assess', () => {
    const plans = planRemediations([subject('i-a')], { settings, roles: new Map() });
    expect(plans.get('i-a')?.[0]).toMatchObject({ status: 'skipped', reason: 'role-unreadable' });
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
      tagged('i-e', ' True '),
      tagged('i-f', 'no'),
      tagged('i-g', 'false '),
    ]);

    expect([...ids]).toEqual(['i-a', 'i-b', 'i-f', 'i-g']);
  });
});
