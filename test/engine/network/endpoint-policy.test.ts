/**
 * Interface endpoint policies: with private DNS on the name resolves to the endpoint, so a policy
 * that does not allow the agent's actions blocks (ssm) or degrades (the messaging services).
 */
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../../lambdas/engine/diagnose.ts';
import { factsOf, withEndpoints, world } from './fixtures.ts';

const policy = (Statement: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement });

function endpointWorld(service: string, document: string) {
  const w = withEndpoints(world(), ['ssm', 'ec2messages', 'ssmmessages']);
  const endpoint = w.endpoints.find((e) => e.ServiceName?.endsWith(`.${service}`));
  if (endpoint) endpoint.PolicyDocument = document;
  return w;
}

const pathOf = (finding: ReturnType<typeof diagnose>, service: string) =>
  finding.checks.find((c) => c.id === `network.path.${service}`);

describe('endpoint policies', () => {
  it('an ssm endpoint whose policy allows only s3 actions blocks registration, even with an internet route', () => {
    const finding = diagnose(
      factsOf(
        endpointWorld('ssm', policy([{ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' }])),
      ),
    );

    expect(finding.causes).toContain('VPC_ENDPOINT_POLICY_DENIES');
    expect(pathOf(finding, 'ssm')?.summary).toContain('ssm:UpdateInstanceInformation');
    expect(pathOf(finding, 'ssm')?.nextSteps?.[0]).toContain('--reset-policy');
  });

  it('an explicit deny of the channel actions on the ssmmessages endpoint degrades', () => {
    const document = policy([
      { Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' },
      { Effect: 'Deny', Principal: '*', Action: 'ssmmessages:*', Resource: '*' },
    ]);
    const finding = diagnose(factsOf(endpointWorld('ssmmessages', document)));

    expect(finding.causes).not.toContain('VPC_ENDPOINT_POLICY_DENIES');
    expect(finding.degradations).toEqual(['VPC_ENDPOINT_POLICY_DENIES']);
  });

  it('the default full-access policy and a conditional allow: pass, and warn naming what to verify', () => {
    const full = policy([{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }]);
    expect(pathOf(diagnose(factsOf(endpointWorld('ssm', full))), 'ssm')?.status).toBe('pass');

    const conditional = policy([
      {
        Effect: 'Allow',
        Principal: '*',
        Action: '*',
        Resource: '*',
        Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-example' } },
      },
    ]);
    const path = pathOf(diagnose(factsOf(endpointWorld('ssm', conditional))), 'ssm');
    expect(path?.status).toBe('warn');
    expect(path?.summary).toContain('only under conditions');
  });
});
