/**
 * The notification topic's policy, read from the synthesized template and judged the way SNS
 * would for each caller: an explicit Deny wins; a principal of this account passes with its own
 * IAM allowing anything (the worst case: an admin's `sns:*`); anyone else needs an Allow here.
 * A wider policy (any principal of the account publishing, anyone subscribing) fails these.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateCondition, type RequestContext } from '../../lambdas/sim/policy-conditions.ts';
import { resolveIntrinsics } from '../support/local/render-definition.ts';
import { logicalIdOf, type Synthesized, synthStack } from '../support/local/synth.ts';

const ACCOUNT = '123456789012';
const OUTSIDE = '999988887777';
const REGION = 'eu-west-1';

interface Statement {
  Effect: 'Allow' | 'Deny';
  Principal: '*' | { AWS?: string | string[]; Service?: string | string[] };
  Action: string | string[];
  Condition?: unknown;
}

type Caller =
  | { role: string; account?: string; tls?: boolean }
  | { service: string; sourceAccount: string; sourceArn: string };

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function topicPolicy(synth: Synthesized): Statement[] {
  const [policy] = Object.values(synth.json.Resources).filter((r) => r.Type === 'AWS::SNS::TopicPolicy');
  const rendered = resolveIntrinsics(policy?.Properties.PolicyDocument, {
    getAtt: (id, attribute) => `${id}.${attribute}`,
    ref: (id) => id,
    accountId: ACCOUNT,
    region: REGION,
  }) as { Statement: Statement[] };
  return rendered.Statement;
}

function principalMatches(statement: Statement, caller: Caller): boolean {
  const p = statement.Principal;
  if (p === '*' || (typeof p === 'object' && list(p.AWS).includes('*'))) return true;
  if ('service' in caller) return list(p.Service).includes(caller.service);
  const account = caller.account ?? ACCOUNT;
  return list(p.AWS).some((arn) => arn === caller.role || arn === `arn:aws:iam::${account}:root`);
}

function contextOf(caller: Caller): RequestContext {
  if ('service' in caller) {
    return {
      'aws:PrincipalServiceName': caller.service,
      'aws:SourceAccount': caller.sourceAccount,
      'aws:SourceArn': caller.sourceArn,
      'aws:SecureTransport': 'true',
    };
  }
  return {
    'aws:PrincipalArn': caller.role,
    'aws:PrincipalAccount': caller.account ?? ACCOUNT,
    'aws:SecureTransport': String(caller.tls ?? true),
  };
}

function decide(statements: Statement[], action: string, caller: Caller): 'allowed' | 'denied' {
  const context = contextOf(caller);
  const applies = (s: Statement) =>
    principalMatches(s, caller) &&
    list(s.Action).some((a) => a === action || a === 'sns:*') &&
    evaluateCondition(s.Condition, context).holds;
  if (statements.some((s) => s.Effect === 'Deny' && applies(s))) return 'denied';
  const sameAccount = !('service' in caller) && (caller.account ?? ACCOUNT) === ACCOUNT;
  return sameAccount || statements.some((s) => s.Effect === 'Allow' && applies(s)) ? 'allowed' : 'denied';
}

const role = (name: string, account = ACCOUNT) => `arn:aws:iam::${account}:role/${name}`;
const alarm = (account: string) => ({
  service: 'cloudwatch.amazonaws.com',
  sourceAccount: account,
  sourceArn: `arn:aws:cloudwatch:${REGION}:${account}:alarm:ssm-doctor-failed-runs`,
});

describe('the topic policy (default: admins are the account)', () => {
  let synth: Synthesized;
  let statements: Statement[];
  const roleOf = (stage: 'report' | 'notify-failure' | 'remediate') =>
    `${logicalIdOf(synth.stack.functions[stage].role)}.Arn`;
  beforeAll(() => {
    synth = synthStack();
    statements = topicPolicy(synth);
  });
  afterAll(() => synth.cleanup());

  it('lets the report and failure functions publish, over TLS only', () => {
    expect(decide(statements, 'sns:Publish', { role: roleOf('report') })).toBe('allowed');
    expect(decide(statements, 'sns:Publish', { role: roleOf('notify-failure') })).toBe('allowed');
    expect(decide(statements, 'sns:Publish', { role: roleOf('report'), tls: false })).toBe('denied');
  });

  it("refuses every other principal, the account's own admins and the stack's other functions included", () => {
    expect(decide(statements, 'sns:Publish', { role: roleOf('remediate') })).toBe('denied');
    expect(decide(statements, 'sns:Publish', { role: role('Admin') })).toBe('denied');
    expect(decide(statements, 'sns:Publish', { role: role('Admin', OUTSIDE), account: OUTSIDE })).toBe(
      'denied',
    );
  });

  it("lets CloudWatch publish for this account's alarms only", () => {
    expect(decide(statements, 'sns:Publish', alarm(ACCOUNT))).toBe('allowed');
    expect(decide(statements, 'sns:Publish', alarm(OUTSIDE))).toBe('denied');
    expect(decide(statements, 'sns:Publish', { ...alarm(ACCOUNT), service: 'events.amazonaws.com' })).toBe(
      'denied',
    );
  });

  it('lets principals of the account subscribe (as their IAM allows), nobody outside it, never over HTTP', () => {
    expect(decide(statements, 'sns:Subscribe', { role: role('Admin') })).toBe('allowed');
    expect(decide(statements, 'sns:Subscribe', { role: role('Admin'), tls: false })).toBe('denied');
    expect(decide(statements, 'sns:Subscribe', { role: role('Admin', OUTSIDE), account: OUTSIDE })).toBe(
      'denied',
    );
  });
});

describe('the topic policy with adminPrincipalArns named', () => {
  let synth: Synthesized;
  let statements: Statement[];
  beforeAll(() => {
    synth = synthStack({ context: { adminPrincipalArns: `${role('Admin*')},${role('Ops', OUTSIDE)}` } });
    statements = topicPolicy(synth);
  });
  afterAll(() => synth.cleanup());

  it('lets only the named admins subscribe, even from another account', () => {
    expect(decide(statements, 'sns:Subscribe', { role: role('AdminTeam') })).toBe('allowed');
    expect(decide(statements, 'sns:Subscribe', { role: role('Ops', OUTSIDE), account: OUTSIDE })).toBe(
      'allowed',
    );
    expect(decide(statements, 'sns:Subscribe', { role: role('Developer') })).toBe('denied');
    expect(decide(statements, 'sns:Subscribe', { role: role('Admin', OUTSIDE), account: OUTSIDE })).toBe(
      'denied',
    );
  });
});
