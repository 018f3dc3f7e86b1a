import { describe, expect, it } from 'vitest';
import { evaluateAcl } from '../../../lambdas/engine/checks/network/nacl-rules.ts';
import { acl, aclEntry } from './fixtures.ts';

const internet = { kind: 'internet' as const };
const https = { from: 443, to: 443 };

describe('evaluateAcl', () => {
  it('lets a deny with a lower rule number win over a later allow', () => {
    const rules = acl(
      'acl-1',
      [],
      [aclEntry(90, 'out', 'deny', '0.0.0.0/0', [443, 443]), aclEntry(100, 'out', 'allow', '0.0.0.0/0')],
    );

    const verdict = evaluateAcl(rules, 'egress', internet, https);

    expect(verdict.status).toBe('deny');
    expect(verdict.decisions).toEqual([
      { kind: 'deny', ports: https, rule: { ruleNumber: 90, action: 'deny', cidr: '0.0.0.0/0' } },
    ]);
  });

  it('lets an allow with a lower rule number win over a later deny', () => {
    const rules = acl(
      'acl-1',
      [],
      [aclEntry(100, 'out', 'allow', '0.0.0.0/0', [443, 443]), aclEntry(110, 'out', 'deny', '0.0.0.0/0')],
    );

    expect(evaluateAcl(rules, 'egress', internet, https).status).toBe('allow');
  });

  it('orders by rule number, not by the order the entries are listed in', () => {
    const rules = acl(
      'acl-1',
      [],
      [aclEntry(200, 'out', 'allow', '0.0.0.0/0'), aclEntry(50, 'out', 'deny', '0.0.0.0/0', [400, 500])],
    );

    expect(evaluateAcl(rules, 'egress', internet, https).status).toBe('deny');
  });

  it('decides each part of a port range on its own and says which ports are denied', () => {
    const rules = acl('acl-1', [], [aclEntry(100, 'in', 'allow', '0.0.0.0/0', [32768, 60999])]);

    const verdict = evaluateAcl(rules, 'ingress', internet, { from: 1024, to: 65535 });

    expect(verdict.decisions.map((d) => [d.kind, d.ports.from, d.ports.to, d.rule.ruleNumber])).toEqual([
      ['deny', 1024, 32767, 32767],
      ['allow', 32768, 60999, 100],
      ['deny', 61000, 65535, 32767],
    ]);
  });

  it('is uncertain when a narrower allow precedes the /0 deny for an unknown public address', () => {
    const rules = acl('acl-1', [], [aclEntry(100, 'out', 'allow', '52.0.0.0/8', [443, 443])]);

    const verdict = evaluateAcl(rules, 'egress', internet, https);

    expect(verdict.status).toBe('uncertain');
    expect(verdict.decisions[0]).toMatchObject({
      kind: 'uncertain',
      narrower: { ruleNumber: 100, cidr: '52.0.0.0/8' },
    });
  });

  it('never matches a private range against a public service address', () => {
    const rules = acl('acl-1', [], [aclEntry(100, 'out', 'allow', '10.0.0.0/8')]);

    expect(evaluateAcl(rules, 'egress', internet, https).status).toBe('deny');
  });

  it('matches known addresses exactly, and ignores other protocols and directions', () => {
    const rules = acl(
      'acl-1',
      [],
      [
        { ...aclEntry(90, 'in', 'allow', '10.0.1.0/24'), Protocol: '17' },
        aclEntry(95, 'out', 'allow', '10.0.1.0/24'),
        aclEntry(100, 'in', 'allow', '10.0.1.0/24', [443, 443]),
      ],
    );

    expect(evaluateAcl(rules, 'ingress', { kind: 'address', address: '10.0.1.10' }, https).status).toBe(
      'allow',
    );
    expect(evaluateAcl(rules, 'ingress', { kind: 'address', address: '10.0.2.10' }, https).status).toBe(
      'deny',
    );
    expect(
      evaluateAcl(rules, 'ingress', { kind: 'address', address: '10.0.1.10' }, { from: 1024, to: 2000 })
        .status,
    ).toBe('deny');
  });
});
