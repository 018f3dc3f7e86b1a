/**
 * `organizations.ServiceControlPolicies` in a world: validated when loaded, and applied by
 * SimulatePrincipalPolicy the way IAM reports it (`OrganizationsDecisionDetail`), together with
 * the boundary (`PermissionsBoundaryDecisionDetail`) and the request's `ContextEntries`.
 */
import { SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { describe, expect, test } from 'vitest';
import { parseWorld } from '../../lambdas/sim/index.ts';
import { ACCOUNT, simulate, trustEc2, world } from './helpers.ts';

const CORE = 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore';
const BOUNDARY = `arn:aws:iam::${ACCOUNT}:policy/s3-only`;
const allow = (Action: string | string[], extra: Record<string, unknown> = {}) => ({
  Effect: 'Allow',
  Action,
  Resource: '*',
  ...extra,
});

const layered = (organizations: unknown, boundary = false) =>
  world({
    iam: {
      Roles: [
        {
          RoleName: 'app-role',
          AssumeRolePolicyDocument: trustEc2,
          CreateDate: '2024-05-01T00:00:00Z',
          AttachedPolicies: [{ PolicyArn: CORE }],
          RolePolicies: [
            {
              PolicyName: 'from-vpc',
              PolicyDocument: {
                Statement: [
                  allow('logs:PutLogEvents', { Condition: { StringEquals: { 'aws:SourceVpc': 'vpc-1' } } }),
                ],
              },
            },
          ],
          ...(boundary ? { PermissionsBoundary: { PermissionsBoundaryArn: BOUNDARY } } : {}),
        },
      ],
      Policies: [{ Arn: BOUNDARY, PolicyName: 's3-only', Document: { Statement: [allow('s3:*')] } }],
    },
    ...(organizations ? { organizations } : {}),
  });

async function evaluate(w: ReturnType<typeof world>, ActionNames: string[], ContextEntries?: unknown[]) {
  const { iam } = simulate(w);
  const out = await iam.send(
    new SimulatePrincipalPolicyCommand({
      PolicySourceArn: `arn:aws:iam::${ACCOUNT}:role/app-role`,
      ActionNames,
      ...(ContextEntries ? { ContextEntries: ContextEntries as never } : {}),
    }),
  );
  return out.EvaluationResults ?? [];
}

describe('organizations, boundaries and context in SimulatePrincipalPolicy', () => {
  test('a world SCP without a PolicyId is rejected with its path', () => {
    expect(() =>
      parseWorld(
        {
          format: 'ssm-doctor/world@1',
          accountId: ACCOUNT,
          region: 'eu-west-1',
          organizations: { ServiceControlPolicies: [{ Content: {} }] },
        },
        'w.json',
      ),
    ).toThrow(/organizations\.ServiceControlPolicies\[0\]\.PolicyId/);
  });

  test('an SCP that denies wins over Core, and one that allows nothing leaves an implicit deny', async () => {
    const denying = layered({
      ServiceControlPolicies: [
        { PolicyId: 'p-all', Content: { Statement: [allow('*')] } },
        { PolicyId: 'p-deny', Content: { Statement: [{ Effect: 'Deny', Action: 'ssm:*', Resource: '*' }] } },
      ],
    });
    const [denied] = await evaluate(denying, ['ssm:UpdateInstanceInformation']);
    expect(denied).toMatchObject({
      EvalDecision: 'explicitDeny',
      OrganizationsDecisionDetail: { AllowedByOrganizations: false },
    });

    const narrow = layered({
      ServiceControlPolicies: [{ PolicyId: 'p-s3', Content: { Statement: [allow('s3:*')] } }],
    });
    const [implicit] = await evaluate(narrow, ['ssm:UpdateInstanceInformation']);
    expect(implicit).toMatchObject({
      EvalDecision: 'implicitDeny',
      OrganizationsDecisionDetail: { AllowedByOrganizations: false },
    });
  });

  test('a boundary that allows only s3 cuts Core back, and says so', async () => {
    const [result] = await evaluate(layered(undefined, true), ['ssm:UpdateInstanceInformation']);
    expect(result).toMatchObject({
      EvalDecision: 'implicitDeny',
      PermissionsBoundaryDecisionDetail: { AllowedByPermissionsBoundary: false },
    });
    expect(result?.OrganizationsDecisionDetail).toBeUndefined();
  });

  test('a conditional allow without its key is an implicit deny naming the missing key; with it, allowed', async () => {
    const [without] = await evaluate(layered(undefined), ['logs:PutLogEvents']);
    expect(without).toMatchObject({ EvalDecision: 'implicitDeny', MissingContextValues: ['aws:SourceVpc'] });

    const [withKey] = await evaluate(
      layered(undefined),
      ['logs:PutLogEvents'],
      [{ ContextKeyName: 'aws:SourceVpc', ContextKeyValues: ['vpc-1'], ContextKeyType: 'string' }],
    );
    expect(withKey).toMatchObject({ EvalDecision: 'allowed', MissingContextValues: [] });
  });
});
