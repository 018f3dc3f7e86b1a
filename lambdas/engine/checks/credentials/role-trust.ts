/**
 * `iam.role-trust`: EC2 can only hand the profile's role to the instance if the role trusts
 * `ec2.amazonaws.com` with `sts:AssumeRole`. Conditions are not evaluated, only shown.
 */
import { type Check, result } from '../../check.ts';
import { profileDefect } from './fallback.ts';
import { fixTrust } from './next-steps.ts';
import { isResult, roleUnderTest } from './role-under-test.ts';

const ID = 'iam.role-trust';

export const roleTrustCheck: Check = {
  id: ID,
  title: 'The instance role trusts ec2.amazonaws.com',
  reads: ['runningInstances', 'instanceProfile', 'dhmc'],
  evaluate(facts) {
    const subject = roleUnderTest(ID, facts, 'no role to trust EC2');
    if (isResult(subject)) return subject;
    const { instanceId, role, trust } = subject;
    const evidence = {
      roleArn: role.arn,
      trustedServices: trust.trustedServices,
      ...(trust.allowedBy ? { allowedBy: trust.allowedBy } : {}),
      ...(trust.deniedBy ? { deniedBy: trust.deniedBy } : {}),
      ...(trust.conditions
        ? { conditions: trust.conditions, conditionsNote: 'conditions are not evaluated' }
        : {}),
    };
    if (trust.trusted) {
      const note = trust.conditions ? ' (under conditions that were not evaluated)' : '';
      return result.pass(ID, `Role ${role.name} trusts ec2.amazonaws.com to assume it${note}.`, evidence);
    }
    const defect = trust.deniedBy
      ? `Role ${role.name} of ${instanceId} denies sts:AssumeRole to ec2.amazonaws.com (${trust.deniedBy})`
      : `Role ${role.name} of ${instanceId} does not trust ec2.amazonaws.com`;
    return profileDefect(ID, facts, 'ROLE_TRUST_POLICY_INVALID', defect, evidence, [
      fixTrust(role.name, 'ec2.amazonaws.com'),
    ]);
  },
};
