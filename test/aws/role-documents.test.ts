/** When a role's documents alone prove the grant (so it need not be simulated), and when they do not. */
import { describe, expect, it } from 'vitest';
import { PROFILE_ROLE_REQUIREMENT } from '../../lambdas/aws/collect.ts';
import type { RoleDocuments } from '../../lambdas/aws/iam-listing.ts';
import { documentsAllow } from '../../lambdas/aws/role-documents.ts';
import type { PolicyDocument } from '../../lambdas/engine/facts.ts';

const CORE = 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore';
const LOCAL = 'arn:aws:iam::111122223333:policy/team';
const role = (extra: Partial<RoleDocuments> = {}): RoleDocuments => ({
  arn: 'arn:aws:iam::111122223333:role/app',
  attachedPolicyArns: [CORE],
  inline: [],
  ...extra,
});
const doc = (...Statement: Record<string, unknown>[]): PolicyDocument =>
  ({ Version: '2012-10-17', Statement }) as unknown as PolicyDocument;
const account = (local: Record<string, PolicyDocument> = {}) => ({
  localPolicies: new Map(Object.entries(local)),
});
const decide = (r: RoleDocuments, local?: Record<string, PolicyDocument>) =>
  documentsAllow(r, account(local), PROFILE_ROLE_REQUIREMENT);

describe('documentsAllow', () => {
  it('Core alone, or with plain allows and denies of other actions, decides', () => {
    expect(decide(role())).toBe(true);
    expect(
      decide(
        role({
          attachedPolicyArns: [CORE, LOCAL],
          inline: [doc({ Effect: 'Deny', Action: 's3:*', Resource: '*' })],
        }),
        { [LOCAL]: doc({ Effect: 'Allow', Action: 'ssm:UpdateInstanceInformation', Resource: '*' }) },
      ),
    ).toBe(true);
    // The deprecated policy (attached under its service-role path) grants the agent actions too.
    expect(
      decide(role({ attachedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AmazonEC2RoleforSSM'] })),
    ).toBe(true);
  });

  it('a deny, a condition, a boundary, an unread policy or no sufficient policy leaves it to the simulation', () => {
    expect(decide(role({ inline: [doc({ Effect: 'Deny', Action: 'ssmmessages:*', Resource: '*' })] }))).toBe(
      false,
    );
    expect(decide(role({ inline: [doc({ Effect: 'Deny', NotAction: 's3:*', Resource: '*' })] }))).toBe(false);
    expect(
      decide(
        role({
          inline: [
            doc({
              Effect: 'Allow',
              Action: 'ssm:UpdateInstanceInformation',
              Resource: '*',
              Condition: { StringEquals: { 'aws:SourceVpc': 'vpc-1' } },
            }),
          ],
        }),
      ),
    ).toBe(false);
    expect(
      decide(role({ boundaryArn: LOCAL }), { [LOCAL]: doc({ Effect: 'Allow', Action: '*', Resource: '*' }) }),
    ).toBe(false);
    expect(
      decide(role({ attachedPolicyArns: [CORE, 'arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy'] })),
    ).toBe(false);
    expect(decide(role({ attachedPolicyArns: [CORE, LOCAL] }))).toBe(false);
    expect(
      decide(role({ attachedPolicyArns: [LOCAL] }), {
        [LOCAL]: doc({ Effect: 'Allow', Action: '*', Resource: '*' }),
      }),
    ).toBe(false);
  });
});
