/**
 * A finding's `degradations` (what still breaks Run Command / Session Manager once the instance
 * registers) reach every place people read findings: the table, the markdown and the run email,
 * short and within the email's budget.
 */
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../lambdas/cli/render/markdown.ts';
import { renderTable } from '../../lambdas/cli/render/table.ts';
import type { CauseCode } from '../../lambdas/engine/causes.ts';
import { degradationsLine } from '../../lambdas/engine/degradations-line.ts';
import type { Finding, Report } from '../../lambdas/engine/report-model.ts';
import { DEFAULT_SETTINGS } from '../../lambdas/engine/settings.ts';
import { renderRunEmail } from '../../lambdas/workflow/email.ts';
import { MESSAGE_BUDGET } from '../../lambdas/workflow/email-budget.ts';
import { changesSince } from '../../lambdas/workflow/ledger.ts';

const id = (i: number) => `i-${String(i).padStart(17, '0')}`;

function finding(instanceId: string, degradations: CauseCode[]): Finding {
  return {
    instanceId,
    name: `web-${instanceId.slice(-5)}`,
    ssmStatus: 'NotRegistered',
    rootCause: 'ROUTE_MISSING',
    causes: ['ROUTE_MISSING'],
    degradations,
    checks: [],
    remediations: [],
    nextSteps: [],
    instance: { platform: 'linux' },
  };
}

function reportOf(findings: Finding[]): Report {
  return {
    format: 'ssm-doctor/report@1',
    accountId: '111122223333',
    region: 'eu-west-1',
    generatedAt: '2026-11-26T06:00:00.000Z',
    settings: DEFAULT_SETTINGS,
    summary: {
      runningInstances: findings.length,
      online: 0,
      notRegistered: findings.length,
      connectionLost: 0,
      ignored: 0,
      inGracePeriod: 0,
    },
    groups: [],
    findings,
    errors: [],
  };
}

const DEGRADED: CauseCode[] = ['VPC_ENDPOINT_MISSING', 'ROLE_MISSING_SSM_PERMISSIONS'];

describe('degradations in people-facing output', () => {
  it('are named in the table, the markdown and the email', () => {
    const report = reportOf([finding(id(1), DEGRADED), finding(id(2), [])]);
    const table = renderTable(report, false);
    const markdown = renderMarkdown(report);
    const email = renderRunEmail(report, changesSince(new Map(), report.findings, report.errors), 'aws').body;
    const line =
      'Also breaks Run Command / Session Manager once registered: VPC_ENDPOINT_MISSING, ROLE_MISSING_SSM_PERMISSIONS';
    expect(table).toContain(`↳ ${line}`);
    expect(email).toContain(`  ${line}`);
    expect(markdown).toContain(
      'Also breaks Run Command / Session Manager once registered: `VPC_ENDPOINT_MISSING`, `ROLE_MISSING_SSM_PERMISSIONS`',
    );
    // Only the degraded instance gets the line.
    for (const output of [table, markdown, email]) expect(output.split('Also breaks').length - 1).toBe(1);
  });

  it('stay short: at most four codes, the rest counted, nothing but catalog codes printed', () => {
    const many = [
      'VPC_ENDPOINT_MISSING',
      'VPC_ENDPOINT_PRIVATE_DNS_DISABLED',
      'SECURITY_GROUP_EGRESS_BLOCKED',
      'NACL_BLOCKED',
      'ROLE_MISSING_SSM_PERMISSIONS',
      'x\u001b[2J`<b>',
    ] as CauseCode[];
    const line = degradationsLine({ degradations: many }) ?? '';
    expect(line).toMatch(/NACL_BLOCKED and 1 more$/);
    expect(line).not.toContain('ROLE_MISSING');
    expect(line).not.toContain('<b>');
    expect(degradationsLine({ degradations: [] })).toBeUndefined();
    expect(degradationsLine({})).toBeUndefined();
  });

  it('keep the email of a large degraded fleet within the SNS budget', () => {
    const findings = Array.from({ length: 8_000 }, (_, i) => finding(id(i), DEGRADED));
    const report = reportOf(findings);
    const email = renderRunEmail(report, changesSince(new Map(), report.findings, report.errors), 'aws').body;
    expect(Buffer.byteLength(email)).toBeLessThanOrEqual(MESSAGE_BUDGET);
    expect(email).toContain('Also breaks Run Command / Session Manager once registered');
  });
});
