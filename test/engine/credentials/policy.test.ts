import { describe, expect, it } from 'vitest';
import { compareVersions } from '../../../lambdas/engine/checks/credentials/agent-version.ts';
import { credentialChecks } from '../../../lambdas/engine/checks/credentials/index.ts';
import { actionMatches, evaluateTrust } from '../../../lambdas/engine/checks/credentials/policy.ts';
import { instanceChecks } from '../../../lambdas/engine/checks/instance/index.ts';
import { FACT_SOURCES } from '../../../lambdas/engine/fact-sources.ts';
import type { PolicyDocument } from '../../../lambdas/engine/facts.ts';

describe('actionMatches', () => {
  it.each([
    ['sts:AssumeRole', 'sts:AssumeRole', true],
    ['STS:assumerole', 'sts:AssumeRole', true],
    ['sts:*', 'sts:AssumeRole', true],
    ['*', 'sts:AssumeRole', true],
    ['sts:Assume?ole', 'sts:AssumeRole', true],
    ['sts:AssumeRoleWith*', 'sts:AssumeRole', false],
    ['ssm:*', 'ssmmessages:OpenDataChannel', false],
  ])('%s covers %s: %s', (pattern, action, expected) => {
    expect(actionMatches(pattern, action)).toBe(expected);
  });
});

describe('evaluateTrust', () => {
  const allow = (extra: object): PolicyDocument => ({
    Statement: [
      { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole', ...extra },
    ],
  });

  it('trusts a single Allow statement for the service', () => {
    expect(evaluateTrust(allow({}), 'ec2.amazonaws.com')).toMatchObject({
      trusted: true,
      allowedBy: 'Statement[0]',
    });
  });

  it('does not trust a policy for another service or another action', () => {
    expect(evaluateTrust(allow({}), 'ssm.amazonaws.com').trusted).toBe(false);
    expect(evaluateTrust(allow({ Action: 'sts:TagSession' }), 'ec2.amazonaws.com').trusted).toBe(false);
  });

  it('honours NotAction', () => {
    const doc: PolicyDocument = {
      Statement: {
        Effect: 'Allow',
        Principal: { Service: 'ec2.amazonaws.com' },
        NotAction: 'sts:TagSession',
      },
    };
    expect(evaluateTrust(doc, 'ec2.amazonaws.com').trusted).toBe(true);
  });

  it('lets an unconditional Deny win and names it', () => {
    const doc: PolicyDocument = {
      Statement: [
        ...(allow({}).Statement as object[]),
        { Sid: 'NoEc2', Effect: 'Deny', Principal: { Service: ['ec2.amazonaws.com'] }, Action: 'sts:*' },
      ] as PolicyDocument['Statement'],
    };
    expect(evaluateTrust(doc, 'ec2.amazonaws.com')).toMatchObject({ trusted: false, deniedBy: 'NoEc2' });
  });

  it('does not evaluate a conditional Deny but reports it', () => {
    const doc: PolicyDocument = {
      Statement: [
        ...(allow({}).Statement as object[]),
        {
          Sid: 'Maybe',
          Effect: 'Deny',
          Principal: { Service: 'ec2.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ] as PolicyDocument['Statement'],
    };
    const verdict = evaluateTrust(doc, 'ec2.amazonaws.com');
    expect(verdict.trusted).toBe(true);
    expect(Object.keys(verdict.conditions ?? {})).toEqual(['Maybe']);
  });

  it('accepts the China form of the service principal', () => {
    const doc = allow({ Principal: { Service: 'ec2.amazonaws.com.cn' } });
    expect(evaluateTrust(doc, 'ec2.amazonaws.com').trusted).toBe(true);
  });
});

describe('compareVersions', () => {
  it.each([
    ['3.2.582.0', '3.2.582.0', 0],
    ['3.2.1000.0', '3.2.582.0', 1],
    ['3.10.0.0', '3.9.9.9', 1],
    ['3.1.1188.0', '3.2.582.0', -1],
    ['3.2', '3.2.0.0', 0],
  ])('%s vs %s', (a, b, sign) => {
    expect(Math.sign(compareVersions(a, b) ?? Number.NaN)).toBe(sign);
  });

  it('returns undefined for something that is not a version', () => {
    expect(compareVersions('latest', '3.2.582.0')).toBeUndefined();
  });
});

describe('credentialChecks', () => {
  it('lists the checks in order and reads only declared fact sources', () => {
    expect(credentialChecks.map((c) => c.id)).toEqual([
      'iam.instance-profile',
      'iam.role-trust',
      'iam.role-permissions',
      'dhmc.role',
      'dhmc.agent-version',
    ]);
    for (const check of [...credentialChecks, ...instanceChecks]) {
      for (const source of check.reads) expect(Object.keys(FACT_SOURCES)).toContain(source);
    }
  });
});
