import { describe, expect, test } from 'vitest';
import {
  findManagedPolicy,
  MANAGED_POLICIES,
  MANAGED_POLICY_DOCUMENTS,
} from '../../lambdas/sim/managed-policies.ts';
import {
  decodePolicyDocument,
  encodePolicyDocument,
  type PolicyDocument,
} from '../../lambdas/sim/policy-document.ts';
import { actionMatches, evaluate, type PolicySource } from '../../lambdas/sim/policy-evaluation.ts';

const source = (id: string, document: PolicyDocument): PolicySource => ({ id, type: 'role', document });
const AGENT_ACTIONS = [
  'ssm:UpdateInstanceInformation',
  'ssmmessages:CreateControlChannel',
  'ssmmessages:CreateDataChannel',
  'ssmmessages:OpenControlChannel',
  'ssmmessages:OpenDataChannel',
  'ec2messages:GetMessages',
];

describe('evaluate', () => {
  test('explicit Deny beats Allow from any policy', () => {
    const allow = source('a', { Statement: { Effect: 'Allow', Action: '*', Resource: '*' } });
    const deny = source('d', { Statement: [{ Effect: 'Deny', Action: 'ssm:*', Resource: '*' }] });
    expect(evaluate([allow, deny], 'ssm:GetParameter')).toEqual({
      decision: 'explicitDeny',
      matched: [{ SourcePolicyId: 'd', SourcePolicyType: 'role' }],
    });
    expect(evaluate([allow, deny], 'ec2:DescribeInstances').decision).toBe('allowed');
    expect(evaluate([], 'ec2:DescribeInstances')).toEqual({ decision: 'implicitDeny', matched: [] });
  });

  test('NotAction and NotResource', () => {
    const doc = source('n', {
      Statement: [
        { Effect: 'Allow', NotAction: ['iam:*', 'organizations:*'], Resource: '*' },
        { Effect: 'Deny', Action: 's3:*', NotResource: 'arn:aws:s3:::public/*' },
      ],
    });
    expect(evaluate([doc], 'ssm:GetParameter').decision).toBe('allowed');
    expect(evaluate([doc], 'iam:GetRole').decision).toBe('implicitDeny');
    expect(evaluate([doc], 's3:GetObject', 'arn:aws:s3:::private/key').decision).toBe('explicitDeny');
    expect(evaluate([doc], 's3:GetObject', 'arn:aws:s3:::public/key').decision).toBe('allowed');
  });

  test('wildcards: * is any run, ? exactly one character; actions ignore case', () => {
    expect(actionMatches('ssm:Get*', 'ssm:GetParameters')).toBe(true);
    expect(actionMatches('ssm:GetParameter?', 'ssm:GetParameters')).toBe(true);
    expect(actionMatches('ssm:GetParameter?', 'ssm:GetParameter')).toBe(false);
    expect(actionMatches('SSM:getparameter', 'ssm:GetParameter')).toBe(true);
    expect(actionMatches('ssm:Get.*', 'ssm:GetX')).toBe(false);
  });

  test('conditions are ignored: a conditional statement counts as matching', () => {
    const doc = source('c', {
      Statement: {
        Effect: 'Allow',
        Action: 'ssm:*',
        Resource: '*',
        Condition: { Bool: { 'aws:SecureTransport': 'true' } },
      },
    });
    expect(evaluate([doc], 'ssm:UpdateInstanceInformation').decision).toBe('allowed');
  });
});

describe('managed policies', () => {
  test.each([
    'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
    'arn:aws:iam::aws:policy/AmazonSSMManagedEC2InstanceDefaultPolicy',
    'arn:aws:iam::aws:policy/service-role/AmazonEC2RoleforSSM',
    'arn:aws:iam::aws:policy/AdministratorAccess',
  ])('%s grants what the agent needs', (arn) => {
    const document = MANAGED_POLICY_DOCUMENTS[arn];
    for (const action of AGENT_ACTIONS)
      expect(evaluate([source('m', document)], action).decision).toBe('allowed');
  });

  test('their published differences hold', () => {
    const core = source(
      'core',
      MANAGED_POLICY_DOCUMENTS['arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore'],
    );
    const dhmc = source(
      'dhmc',
      MANAGED_POLICY_DOCUMENTS['arn:aws:iam::aws:policy/AmazonSSMManagedEC2InstanceDefaultPolicy'],
    );
    expect(evaluate([core], 'ssm:GetParameter').decision).toBe('allowed');
    expect(evaluate([dhmc], 'ssm:GetParameters').decision).toBe('implicitDeny');
    expect(evaluate([core], 's3:GetObject').decision).toBe('implicitDeny');
    expect(Object.keys(MANAGED_POLICIES)).toHaveLength(4);
  });

  test('lookup ignores the partition and refuses customer ARNs', () => {
    expect(
      findManagedPolicy('arn:aws-us-gov:iam::aws:policy/service-role/AmazonEC2RoleforSSM')?.PolicyName,
    ).toBe('AmazonEC2RoleforSSM');
    expect(findManagedPolicy('arn:aws:iam::111122223333:policy/AdministratorAccess')).toBeUndefined();
  });
});

describe('policy documents', () => {
  test('objects, URL-encoded strings and plain JSON strings decode alike; IAM form is URL-encoded', () => {
    const doc = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow' as const, Action: 'sts:AssumeRole' }],
    };
    const encoded = encodePolicyDocument(doc);
    expect(encoded).toBe(encodeURIComponent(JSON.stringify(doc)));
    expect(decodePolicyDocument(encoded)).toEqual(doc);
    expect(decodePolicyDocument(JSON.stringify(doc))).toEqual(doc);
    expect(encodePolicyDocument(encoded)).toBe(encoded);
    expect(() => decodePolicyDocument('%E0%A4%A')).toThrow('broken URL encoding');
    expect(() => decodePolicyDocument({ Statement: [{ Effect: 'Allow' }] })).toThrow(
      'no Action or NotAction',
    );
  });
});
