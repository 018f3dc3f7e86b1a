import { describe, expect, test } from 'vitest';
import { evaluateCondition, UnsupportedConditionError } from '../../lambdas/sim/policy-conditions.ts';
import { evaluate } from '../../lambdas/sim/policy-evaluation.ts';

const holds = (condition: unknown, context: Record<string, string | string[]>) =>
  evaluateCondition(condition, context).holds;

describe('evaluateCondition', () => {
  test('string operators: case of values matters except IgnoreCase; keys match in any case', () => {
    expect(
      holds(
        { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
        { 'IAM:passedtoservice': 'ec2.amazonaws.com' },
      ),
    ).toBe(true);
    expect(holds({ StringEquals: { 'aws:ResourceTag/x': 'false' } }, { 'aws:ResourceTag/x': 'False' })).toBe(
      false,
    );
    expect(
      holds({ StringEqualsIgnoreCase: { 'aws:ResourceTag/x': 'false' } }, { 'aws:ResourceTag/x': 'False' }),
    ).toBe(true);
    expect(holds({ StringLike: { k: ['a*', 'b?'] } }, { k: 'bz' })).toBe(true);
    expect(holds({ StringLike: { k: ['a*', 'b?'] } }, { k: 'bzz' })).toBe(false);
  });

  test('an absent key: positive false, negated true, IfExists true, Null as asked', () => {
    expect(evaluateCondition({ StringEquals: { k: 'v' } }, {})).toEqual({ holds: false, missing: ['k'] });
    expect(holds({ StringNotEquals: { k: 'v' } }, {})).toBe(true);
    expect(holds({ StringEqualsIfExists: { k: 'v' } }, {})).toBe(true);
    expect(holds({ Null: { k: 'true' } }, {})).toBe(true);
    expect(holds({ Null: { k: 'false' } }, {})).toBe(false);
    expect(holds({ Null: { k: 'true' } }, { k: 'x' })).toBe(false);
  });

  test('every operator and key must hold (AND); any value may match (OR)', () => {
    const condition = { StringEquals: { a: ['1', '2'], b: '3' }, ArnLike: { c: 'arn:aws:iam::*:role/x-*' } };
    expect(holds(condition, { a: '2', b: '3', c: 'arn:aws:iam::1:role/x-y' })).toBe(true);
    expect(holds(condition, { a: '2', b: '4', c: 'arn:aws:iam::1:role/x-y' })).toBe(false);
    expect(holds(condition, { a: '2', b: '3', c: 'arn:aws:iam::1:role/z' })).toBe(false);
  });

  test('set operators over multi-valued keys', () => {
    expect(holds({ 'ForAnyValue:StringEquals': { t: ['x'] } }, { t: ['w', 'x'] })).toBe(true);
    expect(holds({ 'ForAllValues:StringEquals': { t: ['x'] } }, { t: ['w', 'x'] })).toBe(false);
    expect(holds({ 'ForAllValues:StringEquals': { t: ['x'] } }, {})).toBe(true);
    expect(holds({ 'ForAnyValue:StringEquals': { t: ['x'] } }, {})).toBe(false);
  });

  test('numbers, booleans, addresses, variables', () => {
    expect(holds({ NumericLessThan: { n: '5' } }, { n: '4' })).toBe(true);
    expect(holds({ Bool: { 'aws:SecureTransport': 'true' } }, { 'aws:SecureTransport': 'true' })).toBe(true);
    expect(holds({ IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, { 'aws:SourceIp': '10.1.2.3' })).toBe(true);
    expect(holds({ NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, { 'aws:SourceIp': '11.1.2.3' })).toBe(
      true,
    );
    expect(
      holds(
        // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, not a template.
        { StringEquals: { 'aws:PrincipalAccount': '${aws:ResourceAccount}' } },
        { 'aws:PrincipalAccount': '1', 'aws:ResourceAccount': '1' },
      ),
    ).toBe(true);
  });

  test('an operator it does not know is an error, never a silent answer', () => {
    expect(() => holds({ StringSoundsLike: { k: 'v' } }, { k: 'v' })).toThrow(UnsupportedConditionError);
  });
});

describe('evaluate with a request context', () => {
  const deny = {
    id: 'p',
    type: 'role' as const,
    document: {
      Statement: [
        { Effect: 'Allow' as const, Action: 'ec2:ModifyInstanceMetadataOptions', Resource: '*' },
        {
          Effect: 'Deny' as const,
          Action: 'ec2:ModifyInstanceMetadataOptions',
          Resource: '*',
          Condition: { StringEqualsIgnoreCase: { 'aws:ResourceTag/ssm-doctor:remediate': 'false' } },
        },
      ],
    },
  };
  test('a conditional Deny applies only when its condition holds', () => {
    const action = 'ec2:ModifyInstanceMetadataOptions';
    expect(
      evaluate([deny], action, '*', undefined, { 'aws:ResourceTag/ssm-doctor:remediate': 'FALSE' }).decision,
    ).toBe('explicitDeny');
    expect(
      evaluate([deny], action, '*', undefined, { 'aws:ResourceTag/ssm-doctor:remediate': 'true' }).decision,
    ).toBe('allowed');
    expect(evaluate([deny], action, '*', undefined, {})).toEqual({
      decision: 'allowed',
      matched: [{ SourcePolicyId: 'p', SourcePolicyType: 'role' }],
      missing: ['aws:ResourceTag/ssm-doctor:remediate'],
    });
  });
});
