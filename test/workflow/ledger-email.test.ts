import { describe, expect, it } from 'vitest';
import type { Finding, Report } from '../../lambdas/engine/report-model.ts';
import { DEFAULT_SETTINGS } from '../../lambdas/engine/settings.ts';
import { renderRunEmail } from '../../lambdas/workflow/email.ts';
import {
  changesSince,
  coolingDownFrom,
  hasChanges,
  type LedgerEntry,
  nextLedgerEntry,
} from '../../lambdas/workflow/ledger.ts';

const NOW = new Date('2026-11-26T06:00:00Z');

function finding(instanceId: string, overrides: Partial<Finding> = {}): Finding {
  return {
    instanceId,
    name: `host-${instanceId.slice(-3)}`,
    ssmStatus: 'NotRegistered',
    rootCause: 'ROUTE_MISSING',
    causes: ['ROUTE_MISSING'],
    checks: [],
    remediations: [],
    nextSteps: ['From the instance, test each endpoint: nc -vz ssm.eu-west-1.amazonaws.com 443'],
    instance: { platform: 'linux' },
    ...overrides,
  };
}

function entry(
  instanceId: string,
  rootCause: LedgerEntry['rootCause'],
  fixes: LedgerEntry['fixes'] = [],
): LedgerEntry {
  return {
    instanceId,
    name: null,
    firstSeen: '2026-11-20T00:00:00Z',
    lastSeen: '2026-11-26T05:00:00Z',
    rootCause,
    fixes,
  };
}

describe('changes since the last run', () => {
  it('tells new problems, changed causes, resolved instances and fix outcomes apart', () => {
    const previous = new Map([
      ['i-1', entry('i-1', 'ROUTE_MISSING')],
      ['i-2', entry('i-2', 'NACL_BLOCKED')],
      ['i-3', entry('i-3', 'IMDS_DISABLED')],
    ]);
    const findings = [
      finding('i-1'),
      finding('i-2', { rootCause: 'ROUTE_MISSING' }),
      finding('i-4', {
        remediations: [{ id: 'enforce-imdsv2', status: 'failed', target: 'i-4', reason: 'AccessDenied' }],
      }),
    ];

    const changes = changesSince(previous, findings, []);

    expect(changes.newProblems.map((f) => f.instanceId)).toEqual(['i-4']);
    expect(changes.causeChanged.map((c) => [c.finding.instanceId, c.before])).toEqual([
      ['i-2', 'NACL_BLOCKED'],
    ]);
    expect(changes.resolved.map((e) => e.instanceId)).toEqual(['i-3']);
    expect(changes.fixesFailed.map((f) => f.instanceId)).toEqual(['i-4']);
    expect(hasChanges(changes)).toBe(true);
    expect(
      hasChanges(changesSince(new Map([['i-1', entry('i-1', 'ROUTE_MISSING')]]), [finding('i-1')], [])),
    ).toBe(false);
  });

  it('remembers fix attempts and holds the same fix back for the cooldown', () => {
    const applied = finding('i-1', {
      remediations: [{ id: 'attach-core-policy', status: 'applied', target: 'app-role' }],
    });
    const remembered = nextLedgerEntry(undefined, applied, NOW, true);
    expect(remembered).toMatchObject({
      firstSeen: NOW.toISOString(),
      lastNotified: NOW.toISOString(),
      fixes: [{ id: 'attach-core-policy', target: 'app-role' }],
    });

    const soon = coolingDownFrom(new Map([['i-1', remembered]]), new Date(NOW.getTime() + 5 * 3_600_000));
    expect(soon('app-role', 'attach-core-policy')).toBe(true);
    expect(soon('other-role', 'attach-core-policy')).toBe(false);
    const later = coolingDownFrom(new Map([['i-1', remembered]]), new Date(NOW.getTime() + 7 * 3_600_000));
    expect(later('app-role', 'attach-core-policy')).toBe(false);
  });
});

describe('the run email', () => {
  const report = (findings: Finding[]): Report => ({
    format: 'ssm-doctor/report@1',
    accountId: '111122223333',
    region: 'eu-west-1',
    generatedAt: NOW.toISOString(),
    settings: DEFAULT_SETTINGS,
    summary: {
      runningInstances: 5000,
      online: 4000,
      notRegistered: findings.length,
      connectionLost: 0,
      ignored: 0,
      inGracePeriod: 0,
    },
    groups: [],
    findings,
    errors: [],
  });

  it('fits SNS limits for a large fleet, keeping new problems and saying what was left out', () => {
    const findings = Array.from({ length: 3000 }, (_, i) => finding(`i-${String(i).padStart(17, '0')}`));
    const changes = changesSince(
      new Map(findings.slice(1).map((f) => [f.instanceId, entry(f.instanceId, 'ROUTE_MISSING')])),
      findings,
      [],
    );

    const email = renderRunEmail(report(findings), changes, 'aws');

    expect(email.subject.length).toBeLessThanOrEqual(100);
    expect(email.subject).toBe('ssm-doctor: 3000 unmanaged instances in 111122223333/eu-west-1 (1 new)');
    expect(Buffer.byteLength(email.body)).toBeLessThan(256 * 1024);
    expect(email.body).toContain('[NEW] i-00000000000000000');
    expect(email.body).toMatch(/…and [\d,]+ more instances, left out to fit one email/);
  });
});
